module github.com/authentik-go/authentik/gen

go 1.23

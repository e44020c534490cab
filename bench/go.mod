module github.com/authentik-go/authentik/bench

go 1.23

require (
	github.com/authentik-go/authentik v0.0.0
	go.uber.org/goleak v1.3.0
)

require (
	github.com/google/go-querystring v1.2.0 // indirect
	github.com/hashicorp/go-cleanhttp v0.5.2 // indirect
	github.com/hashicorp/go-retryablehttp v0.7.8 // indirect
)

replace github.com/authentik-go/authentik => ../

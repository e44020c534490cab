package authentik

// Version is the SDK's release version. It is sent in the default User-Agent.
const Version = "0.1.0"

// modulePath is this module's import path, named in the default User-Agent so that
// an authentik operator who sees the traffic can find the client that sent it.
const modulePath = "github.com/authentik-go/authentik"

// defaultUserAgent is "authentik-go/<version> (+<module path>)".
const defaultUserAgent = "authentik-go/" + Version + " (+" + modulePath + ")"

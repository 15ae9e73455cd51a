package main

// The credentials and tls arguments of connect (SPEC.md §4.1.1): which of
// the harness's materials the connection uses, as the binding's Options.
// The secrets come from the environment the driver sets and are never printed.

import (
	"os"

	jb "github.com/jetbridge/jetbridge-go"
)

// material is one credential option and the variable it comes from.
type material struct {
	field    func(o *jb.Options) *string
	variable string
}

var (
	token     = func(o *jb.Options) *string { return &o.Token }
	user      = func(o *jb.Options) *string { return &o.User }
	password  = func(o *jb.Options) *string { return &o.Password }
	nkeySeed  = func(o *jb.Options) *string { return &o.NKeySeed }
	userJWT   = func(o *jb.Options) *string { return &o.JWT }
	jwtSeed   = func(o *jb.Options) *string { return &o.JWTSeed }
	credsFile = func(o *jb.Options) *string { return &o.CredsFile }
)

// materials: credentials name -> the options it sets.
var materials = map[string][]material{
	"none":             {},
	"token":            {{token, "JB_TOKEN"}},
	"wrong_token":      {{token, "JB_WRONG_TOKEN"}},
	"user":             {{user, "JB_USER"}, {password, "JB_PASSWORD"}},
	"wrong_password":   {{user, "JB_USER"}, {password, "JB_WRONG_PASSWORD"}},
	"nkey":             {{nkeySeed, "JB_NKEY_SEED"}},
	"other_nkey":       {{nkeySeed, "JB_OTHER_NKEY_SEED"}},
	"jwt":              {{userJWT, "JB_JWT"}, {jwtSeed, "JB_JWT_SEED"}},
	"jwt_expired":      {{userJWT, "JB_JWT_EXPIRED"}, {jwtSeed, "JB_JWT_EXPIRED_SEED"}},
	"jwt_revoked":      {{userJWT, "JB_JWT_REVOKED"}, {jwtSeed, "JB_JWT_REVOKED_SEED"}},
	"jwt_mismatched":   {{userJWT, "JB_JWT_MISMATCHED"}, {jwtSeed, "JB_JWT_MISMATCHED_SEED"}},
	"jwt_no_js":        {{userJWT, "JB_JWT_NO_JS"}, {jwtSeed, "JB_JWT_NO_JS_SEED"}},
	"creds":            {{credsFile, "JB_CREDS"}},
	"creds_expired":    {{credsFile, "JB_CREDS_EXPIRED"}},
	"creds_revoked":    {{credsFile, "JB_CREDS_REVOKED"}},
	"creds_mismatched": {{credsFile, "JB_CREDS_MISMATCHED"}},
	"creds_no_js":      {{credsFile, "JB_CREDS_NO_JS"}},
}

// setCredentials sets the auth options of `credentials`. Absent: `token`
// when $JB_TOKEN is set (a token server), else `none`.
func setCredentials(o *jb.Options, a *args) error {
	name, ok, err := a.str("credentials")
	if err != nil {
		return err
	}
	if !ok {
		name = "none"
		if _, set := os.LookupEnv("JB_TOKEN"); set {
			name = "token"
		}
	}
	list, known := materials[name]
	if !known {
		return unsupported("credentials %q", name)
	}
	for _, m := range list {
		v, set := os.LookupEnv(m.variable)
		if !set {
			return runnerError("environment variable %s is not set", m.variable)
		}
		*m.field(o) = v
	}
	return nil
}

// setTLS sets the TLS options from the `tls` argument.
func setTLS(o *jb.Options, a *args) error {
	t, err := a.object("tls")
	if err != nil || t == nil {
		return err
	}
	if o.TLSRequired, _, err = t.boolean("required"); err != nil {
		return err
	}
	if o.TLSHandshakeFirst, _, err = t.boolean("handshake_first"); err != nil {
		return err
	}
	for key, dst := range map[string]*string{
		"ca_file": &o.TLSCAFile, "client_cert": &o.TLSClientCert, "client_key": &o.TLSClientKey,
	} {
		if *dst, _, err = t.str(key); err != nil {
			return err
		}
	}
	return nil
}

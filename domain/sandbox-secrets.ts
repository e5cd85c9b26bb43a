/**
 * The sandbox's secrets and keys. They are public: this repository publishes them, so they are the defaults in
 * sandbox mode only, and production mode refuses every one of them (domain/production-check.ts). Keyed by the
 * environment variable that would carry them; the sandbox wallets keep their own copies (sandbox/config.ts), as a
 * real wallet would hold its half apart from ours.
 */
export const sandboxSecrets = {
  OVO_CLIENT_ID: 'sandbox-ovo-client',
  OVO_CLIENT_SECRET: 'sandbox-ovo-secret-change-me',
  OVO_CALLBACK_SECRET: 'sandbox-ovo-callback-secret',
  DANA_PARTNER_ID: 'sandbox-dana-partner',
  DANA_MERCHANT_ID: 'sandbox-dana-merchant',
  /** SANDBOX ONLY, PUBLIC: the gateway's RSA key at the sandbox DANA (its public half is the sandbox's SANDBOX_DANA_PARTNER_PUBLIC_KEY). */
  DANA_PRIVATE_KEY: `-----BEGIN PRIVATE KEY-----
MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQCYfje8bxp1reDz
UeGk+ET/GfkwvQMC9KqC/iMES98rGivwnoLTaKISje4OxU1OSnHb1JtbK3U0ui3w
QExs+z97IH91H7waVSC6fg/BHbUcyZ1Fqc3EIg5sQAkP6PJTuQ3d6T8hcGPb4GWW
lwBqKoBrQSjGXkxaOTGLshCj2kTohhLlJKLVS7YpNfhuWuukRjGbp9eDDU3Rs2u0
5A1UpLisnUQ8JDZb/WlrqUwOBx4H+qcLwfUczeoy4mvrKMWKIRUd5Id/kcG1RThq
LQxpmyHAwFgYludEkghdWc13vEb5RiFmreWiq8waf0nqN/P1GJwyEZqeG0lbE9os
TgnrnhRzAgMBAAECggEAD+zX15hyFsm8B9J3HPoxLm5LzVC360uaMQg8UkW1folY
VGPMEtWcXhFaGUshPySxeP0zj5UIGPkRNMQU7H6yoE0CXTzIBqdO6IWjZzi513yg
rYvwVA7LGyKhhPqqr/P6pEBTGk65RwGgv6txB3qnzaD7kqJ6GSQG7hQAU97xZPz4
xgB7rg9vXH4qo5JoW4t650PyxUFsdsvovcokxzFjFFk8sODBPBPEaBta6f872Ivp
hUZqeHwKBL20Oyaul1bGrxFzvCw5Ux1Mqh6d3nw41sKJUXrQfk/Ts01Z2+SoZ0JZ
prRmXbZFNsLwil11VFmPRm7U1X7rUYFUQ1LwE2Qn2QKBgQDUFj3TyHy/6i97zXcr
3DNa9DUJ1WItw2ACee7/QUFpastD5C/teci27fzbK8n6tm1v8iS+Q222ic7yXyll
7M04HE17YtarXFPlDTDLyPaPEQRiwF3xKxl9VwD+j02OXOlIFyABeGO1hkCW5XlZ
yuKVwnW1vKBbCAbqLRUFdskF+wKBgQC4ES2m0GWBAXUGBgjs3IvC/sroUKGEQNt3
lG6kCPItSQ1qkryhIE8ftAMRbxjha7TGGGA8gdGRPC2aRLb8ysdPbMwv7aDK1A2+
CVuiJHhi+NH+IkysnuEeR6vYd9B3OBKhRv/QuSqcPDov4XqOjUYUTPsyLTbM0cOQ
xdfx7Dx56QKBgF5fTz+v1KLpKBvkv4SKxWdRh1BK3RcT+uLfMxPuC5dG6A/bt9/p
8wBDQeKcx5GCH4xSqTrocidphuaepaMvDdpL7cZbor45pTMk/XOQhvX+Un9Grgak
cQEu98hOJ+qTOVLUx28gDO43QQJkNe1YtB6DmzE1L/2RwtHtIY9+3dCFAoGBAIaF
/4BQBC8hen5ZgMJjeT2c63yYGUNIB13AvI/j/eK85jJCZdu4ejtoW2mtcVimV+sD
O6pdEmV7vrRljfr41GumzyAkIoS6MAT4X+EDmHx07zw1oyXxxANWTDCbeF75Oxxl
gGbyPUML/VarCuAOPe5uSJPmWYudrrkq7uTfS1+pAoGBAIlYALgcPStLDsFbSyqO
s6vYEaf4667xDiDoCysCJPgdvskPCJNDWS/w3iw9J9sjI44WdTTxx5EjxVNt3wpr
YvoI9NuoZNB4KEazHFDBwKbV81L3/JK+OknBFFKrf0ua4fJwNVPmN/Y+hPxUp99/
ag1YBu6Oi9ydGeXLqq1gP5/y
-----END PRIVATE KEY-----
`,
  /** SANDBOX ONLY, PUBLIC: the sandbox DANA's notify key (its private half is the sandbox's SANDBOX_DANA_PRIVATE_KEY). */
  DANA_PUBLIC_KEY: `-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA25QT4+bbRenNNm5+XKL+
A89ANlo46qQlJF/TEFoSUW82JWioVrZUkNkOdVqgXMp8Z0Nvz5sUpzOgEETWoc9Q
e7Pj+0G6+Po9NAxGiRUqQX9/YyjS6fOkd/SjC3BijYR9Lii1leVkUa+hY5q6+WbZ
HPihcEnE7MbPcn3HJv+JliEu+qX7h/Dml9I1JzA2K2i/rdkqCQY0QRIN0/9ueTv2
dCqpqtkCvFKyK8jdGY6LCw7Ry+VTKFwhy+vZa+Blt46ow+wKmjUj5rIo6l1l4UOE
cVmTt0XVVKlxpnS0lHb3Uq3QyUiaPD6xvSp4KUbsSjba37LhAq8vFO3MQk+bCC8/
OQIDAQAB
-----END PUBLIC KEY-----
`,
  SHOPEEPAY_CLIENT_ID: 'sandbox-shopeepay-client',
  SHOPEEPAY_CLIENT_SECRET: 'sandbox-shopeepay-secret-change-me',
  SHOPEEPAY_CALLBACK_SECRET: 'sandbox-shopeepay-callback-secret',
  LINKAJA_CLIENT_ID: 'sandbox-linkaja-client',
  LINKAJA_CLIENT_SECRET: 'sandbox-linkaja-secret-change-me',
  LINKAJA_CALLBACK_SECRET: 'sandbox-linkaja-callback-secret',
  ASTRAPAY_CLIENT_ID: 'sandbox-astrapay-client',
  ASTRAPAY_CLIENT_SECRET: 'sandbox-astrapay-secret-change-me',
  ASTRAPAY_CALLBACK_SECRET: 'sandbox-astrapay-callback-secret',
  ACCOUNT_TOKEN_KEY: 'c2FuZGJveC1hY2NvdW50LXRva2VuLWtleS0zMi1ieXQ=',
  LINK_ID_SECRET: 'sandbox-link-id-secret',
  PAGE_SIGNING_SECRET: 'sandbox-page-signing-secret',
  PAYLOAD_KEYS: 'sandbox-2026:c2FuZGJveC1wYXlsb2FkLWtleS0yMDI2LTMyLWJ5dGU=',
  OPERATOR_TOKEN: 'sandbox-operator-token',
} as const satisfies Record<string, string>;

export type SecretVariable = keyof typeof sandboxSecrets;

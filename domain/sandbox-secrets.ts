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
  /** SANDBOX ONLY, PUBLIC: the gateway's RSA key at the sandbox ShopeePay (its public half is the sandbox's SANDBOX_SHOPEEPAY_PARTNER_PUBLIC_KEY). */
  SHOPEEPAY_PRIVATE_KEY: `-----BEGIN PRIVATE KEY-----
MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCxAs5IqPO/Ir6l
55qvAmCRgeZ4gNSGWmsGrDHvOcYGsmYHs1f7VSlVFR7q5f0bEuN7UcFumo1IQId7
74FuGBcHTZgKkA7mdwuRVuROpeM0PKWcn8Wlcvels74I5wAQ11jgfXZQon4dL2Cc
Nx1mwTR3Ue7VHWCZaWYsqkla/a0QjYvL6w1ZTj1sXciJj3k4AQ9mmA8Z9K7Ue1kU
IsRHX/QTTe/T1xYUFcEUlagUQmFn9U2pJ9jpe98+e9C26kQwYWWLaYJZ+lXtMrpU
0A1O1I5XiNNLhZgr9wURoJ8DC53Ke2+X1uFoRkAk14LkaQVEpmYO4oYrEEfBA/ra
W+8fjZfVAgMBAAECggEAO2H3lkSn0P10++9g40lm4Cm2CcMeiRwYP5rQ/bJiDqkW
tYqi/3woa5S0VJVnfgeuLRbWT6alsxGC4j8NKsQGJbsQQKrndMWHKfD+kqvwNvwJ
iyvGgKS7E+ni3NWyHfRAqr8sTAzXRi84t+99e5VhZo4kE3bRi2XikyVlipMD1kM2
kOEkhnoptpMt+c42tRcwfSZPyGCL8znOpSyn8uyEXRDhcVr1n+zO18ge4s4Zg6JK
iXKxERMDl419F68pU8J1q+nb5uK57hHXrDXZ/AeoNIpA7sPVZ7pntfVsrJReXe2I
bALeHZKDxi6bfhqjicmvgmywFQHvrxkb+C3I1UwqGQKBgQDrUHleM+sLp4rpW81R
TQzASbBDMt9l2yecO0FNlBe3pCy5SSGPtW0alGz9YYxIxLIghxqUI1sLh1mh/5/K
r5xK3VB2cQI4ExG52LpnmOi1UTAjA9wP8XBNS0agDPRIx3tBmlUA7yweTv7wkCRh
hxPWmE3LXzHaXnipZrFw84mNVwKBgQDAkkTus8JwMbS1P+ul+zvIjbN1YaRES7ik
5WrkyRLqd3+vSPayABVBK21zTz0dHK+Z446aCEmGoII8cSVXrcOS6Mm1P5dwxQ5r
4uGe44XAnf1WcrBOjOt3YWj8WmDi7C4ZPxHuoHNgrijY+a2T1IUP0qha7NINtSjA
ul6uG7/cswKBgDfAJjEabdqiBDhLhrZ3YckA7GDPYbw5EwZhx5QAvSnGHM59NBVf
L403kybpAJqQ937bY4Grarutgp/t90bHGmlmS9Tz60mrwuxcG7XFtYSXyqbRGEcy
tZ+qcP4kc4/2qw4c6XzCLZq0rpQCIox0u0+BYBUJ5b7N2RqReQLAwFsbAoGBALjX
LWdaEFaUv3oCYvStFBNLQGh5Uq1jaVaOB26XOproHR1pEbKFteEaCDLYajbZZAx4
ilZ7gefBhYDysf9ZARKwc3yQD5Lk8xTHb/2NMsNSYutppqWfSh0K2TTwo3LtdMoy
6cl9JYI1aWvrLJtrMFWhxIuSKYWS0A0+VscUR7NVAoGAT4pglY7EQAE0NBKwzzsp
PtVGTdXegSh+jB3a1TJRfP6d7rckHHA9icfDjTulBvZCPgwXv6ETwvQcZ7tNIm0p
zc1cZZeiY85vNm5xeP1nSbBtQJsAr2rvXUu3XSiTL9Gdh6oMzRThu9Q6eXRWjCo7
RSFuWYj8SYfgyxrNraTbVd0=
-----END PRIVATE KEY-----
`,
  /** SANDBOX ONLY, PUBLIC: the sandbox ShopeePay's notify key (its private half is the sandbox's SANDBOX_SHOPEEPAY_PRIVATE_KEY). */
  SHOPEEPAY_PUBLIC_KEY: `-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAvngwjPjhxHMbcyxYjyev
kIQSOvBiJyBvoAZRyYtzhvGMf61XdX6CDUxLG/TKENG8CjI/hVrPBzFZYIFFxRRU
TYje/WJDqyveqZ0/p9QJvwUxhcctzAnbCHIzQ9GAFBRzrkJcA7OCjioRqgIQ7tUk
1fyoN3xjsJsQWLG0akuMffIVIM2BtYS0sBDSk03qQg4NIGkGNuldcTOTko74PUeD
qOWd6TlxYh38ZUztPEJsN/Xbp9PlZxxXrAMliueJ8pYBjH19S3gOlhMCRQA0neud
zVldD93vexa/y/5P68YbLzApePxfKZ+drvbd3sBiYwZt/SVXzACZkM0X2EsRMTtP
ywIDAQAB
-----END PUBLIC KEY-----
`,
  LINKAJA_CLIENT_ID: 'sandbox-linkaja-client',
  LINKAJA_CLIENT_SECRET: 'sandbox-linkaja-secret-change-me',
  /** SANDBOX ONLY, PUBLIC: the gateway's RSA key at the sandbox LinkAja (its public half is the sandbox's SANDBOX_LINKAJA_PARTNER_PUBLIC_KEY). */
  LINKAJA_PRIVATE_KEY: `-----BEGIN PRIVATE KEY-----
MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCNdHJz4K5t/wwZ
5Qf+Kg3h7EcTaYJDmvKbnyMYj6nmbY3EEa0QQ8xaUtsLlbZJiobwM0fN0Ij7tIa4
OvHpQ5HSYb37rnIw1Io+KQIXgNH92nAG32PI0IAFzoL4YGZwCMgfcEFpozYiLg0x
iM2KbNMP6NpewrxsNoYVq/D5XNAEb4Lk9ZzvgQykrYaEnlC+TVdcnQ6hK1ixO0KC
6G2dwmUWVzjMCkGB2ThFfxqzhCy44eRxLlwG9ln6vouHjPirVFU3dxbVo1aN9PWU
K0wOOvTOEovFsiYbQa8Woh1LQqL5D+3ZN1yNi7gMrqezpm/lzqay4jI3gjkzQ0zS
+OxiVcZTAgMBAAECggEADi1Ukek73N8KBHJgRF33TuRSafn8ye/L+Zg6eT9fei5o
CKBI5cTAb3EMbnMjy5JsXG3sorkQHEIHRTb11eN6yEjENLxSyjK9uZB8mtnDXMY5
d3GI27CMlDMSt01aFvJvtDmY+hBsitfDZL/e8c0Js6IqeK2FxZwKq5NfBG8D6N2/
aHzozjN/OFyuEC+1aWolKsc8twLO0HgaaCzABzknjhhInLfTN+DuEBiTrBu+W8lK
vg/95nPR47VI793dr3VC5rRrfqbJOT5C0ZDOZZj9Pyz5CS3bTy+Rj/YlqZY8rGMR
fy+Wq4F+gSgJOifvAk0LbvSI7SEcB/qIvWIGwISKqQKBgQDEx/TNQeGjGUX2uVRY
qUc8Bl0W0MQ/AgJAzC4jNPhdZi9br2hIeuQr0FLafiTLUp8ZBKhAOyTe+rctgvi7
NcvpROx8PvUXQ3uC34jMMs1IBt5UaScZfaQo06hwhuyrctOD9fBDILOnV8zKlL1s
Wq4jxzknKirHb4BX6/t/GNKEtQKBgQC4BibJjgqQVH4p3fQsz3HqI/7ZBvkiDaLU
DOUhDtqhBMAfvu7cFJRkq3qZbytKtVrFAVcei8sgkiA1RS5dPKuuECmttaD2L5a9
5RhcZnZ2nBAuprQcGZy3PtD5SPVP4c+gU2e2w1lOOPkak57nNmtkey4YVGQyJ309
1yzd9+NL5wKBgH5JQR71N+RfFNp5J9taj9/Cyb0Zr8gr9tw07SslFHuEV8JEeO2D
CKnhoTqdl+lwlbANoBjQnCIJzsMDebNTnBCRbh9ynAIZCcv8vyMlOz8NQWP0s+YV
DuQwqbnFrV9+aqYWkOHTu9gabdBY0pQWQgmuEkzDL/8b3McQKC/x8zC9AoGAVBNL
aU6h+OsBcTNcuZRVYTns107eR/ae6+6wSHg23tYCyP48twQYAB5wNuWZi9prjBJe
sTABL/JTEMN4uVRcw3vS7vBKh++aGUwv4xdVDD+lDQtQwn3ZIcdrRllU6pgqef9h
JRj/FkPlW4USVmSAkDnPB4KW/GsaR0Sl1QvKJwUCgYEAuML+VTrHvDW2lt86mHt0
tQmFwV3j/pBGfj6PFVcp3kcTNAc3QYLLJWuSvNUhzI4p/gFyy0UIg/Ch7iAVcMAx
aXBfAN68iI96c+QxRLhChinAWWjbTz2nU2UA9XQTtsj1oBDYzMOPHxA8h1nX0NXH
wbfel0DPp4bWARpuN5zxlnc=
-----END PRIVATE KEY-----
`,
  /** SANDBOX ONLY, PUBLIC: the sandbox LinkAja's notify key (its private half is the sandbox's SANDBOX_LINKAJA_PRIVATE_KEY). */
  LINKAJA_PUBLIC_KEY: `-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAoEXqWkn8Ik7KBPznEXSz
ubkcl/f6uN3UV7FH6dCrVR60s5OyX8ZivnqtlOGXnte12KOjbUuVtUk2p92ctv0v
s1vIlz9aXv4XqGQbo0Lh8LdDxNXlVNulyfnPXAkX3dXBenOZ44LSJLcIRZG5dPkF
7XDKT1BQZb1O8GOeks7KdiepQOnWj30ZDCeNSkyanXQlm4nhtQJ23fvXo6OZt3Vy
MYLBkvcmAiDp8K93LZtu0t4wRAXRmk6QPCWg6FJhPoIhckUXFx4nm8kbzs3NetXF
rcBzkxUSqRSBH6imvG6IVZZZDSuAqyvQCkvCNuRPOMQZ67H7vbUcchJ/hECH9mYe
IQIDAQAB
-----END PUBLIC KEY-----
`,
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

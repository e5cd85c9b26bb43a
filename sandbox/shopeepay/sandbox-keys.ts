/**
 * SANDBOX ONLY, PUBLIC: the sandbox ShopeePay's key pair halves, published in this repository (the gateway keeps the
 * other halves in domain/sandbox-secrets.ts; the sandbox imports nothing from the gateway). Never use them with
 * real money: the gateway refuses them in production (domain/production-check.ts lists their fingerprints).
 */

/** The sandbox ShopeePay's private key: signs its notifies (`SANDBOX_SHOPEEPAY_PRIVATE_KEY`). */
export const SANDBOX_SHOPEEPAY_PRIVATE_KEY = `-----BEGIN PRIVATE KEY-----
MIIEvAIBADANBgkqhkiG9w0BAQEFAASCBKYwggSiAgEAAoIBAQC+eDCM+OHEcxtz
LFiPJ6+QhBI68GInIG+gBlHJi3OG8Yx/rVd1foINTEsb9MoQ0bwKMj+FWs8HMVlg
gUXFFFRNiN79YkOrK96pnT+n1Am/BTGFxy3MCdsIcjND0YAUFHOuQlwDs4KOKhGq
AhDu1STV/Kg3fGOwmxBYsbRqS4x98hUgzYG1hLSwENKTTepCDg0gaQY26V1xM5OS
jvg9R4Oo5Z3pOXFiHfxlTO08Qmw39dun0+VnHFesAyWK54nylgGMfX1LeA6WEwJF
ADSd653NWV0P3e97Fr/L/k/rxhsvMCl4/F8pn52u9t3ewGJjBm39JVfMAJmQzRfY
SxExO0/LAgMBAAECggEABI384eTHsqTAA3U22ZbXhhX/wO9joXo568fgPSNmYVPg
X2M77qrWSE7KkwIRB5hEWLK9PclJ9GrpL2YX+YT+w8CMozQuLbyFqA+tvdZ+XyuB
dNNU/zE9zsoQUMRZ6DZZp9FIFaySvXyNtz+Hu8usBFP039LL0tAlHWyDxcZFt0iV
QXsx2A3l/FNjKURicLvpg5+zxoL1oKiKmRwtg4eqLT8+1TYn6kE7bZGTeuELGj1y
VlB63jImJKK3yehQr6DiOg4GlWVsX67oSzxnjhzbmUJ9FU92MX0Z8WYXEgsZdnzF
iS2C/M+V83AOuf9YhCLEZysfjjou/1hwB/4cONMFvQKBgQDvQyZxwP8cyNv1Njxv
3Sy2+qegwiYeu/3T7ieS3QHWJmRCssefyqO2G+PeFRCAmOP5c3TDL23lD5Aa25oW
b8xlv5X/ygYjqgrS4Mt8PXLlNl/gN8BoCYGvIxPZUBwWW9NISlSIXw65gNXLcfWw
cIkdIeYOCn4MNXaTq68vUY4rzwKBgQDLyzqm/OwQJe1fgLLj+1oDYGQHoTzdd4RV
YlZcI9R33O7z2FQRZTIR/f7YWxUsZg1MEY2T2skno/WEm01asMl4CU2k98rfjTbv
ToeE+PmZO/IpmDzBhgHzT5WGdWl3biC8Kf4I4z9V+nQ+7e/h+ctIbVWMkGkrLWtd
JP1sRVmvRQKBgH1npsjMrWo65P77dGX1eTBW5HFgEXbedcYU920EpafG65oB9puM
LI6Qw7htNf8RI7xlhXegbms24wMQwwyrgGh8KHSvQNSElbO92ym9U3FMNKhi0Fg3
U1+mdQrb8DzP2Ef1naT0ndUg7+34Rxw5f8RjNh955GMlyobP37xfdLMFAoGAOfaD
qBsnyTAAY7lnKBDFeVBhIwppFVR4/xAJIAvQ0oa0MAbHYms14ogrg73kN8yO26Pi
cLs5m1y26BCD39eIdeuvecxAl3TCuy3KvbdSxpKWPd5e6WwEAgAQtz2N0bow9VO8
PSrlSL8DcSKbp9o0R1VRj7lDMFSqxMNQkQroh0ECgYAupheY439q9Op5AwQvemfx
36iyqbOL3Hc/T8Cp/Uj6GamjRmB7tH3IOPSdgVe+qeMYGl0smzWVKsCGNu7Vlo/l
W5skq60coy937SWLlZ5NhTi0/BYQxmsV9uCAjDlFJ3zLS0hnoTSsBw30p+4awwQS
LqQYmKBYDTM5Tns2v6RUSw==
-----END PRIVATE KEY-----
`;

/** The public key of the sandbox partner, the gateway's sandbox key: verifies its B2B token requests (`SANDBOX_SHOPEEPAY_PARTNER_PUBLIC_KEY`). */
export const SANDBOX_SHOPEEPAY_PARTNER_PUBLIC_KEY = `-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAsQLOSKjzvyK+peearwJg
kYHmeIDUhlprBqwx7znGBrJmB7NX+1UpVRUe6uX9GxLje1HBbpqNSECHe++BbhgX
B02YCpAO5ncLkVbkTqXjNDylnJ/FpXL3pbO+COcAENdY4H12UKJ+HS9gnDcdZsE0
d1Hu1R1gmWlmLKpJWv2tEI2Ly+sNWU49bF3IiY95OAEPZpgPGfSu1HtZFCLER1/0
E03v09cWFBXBFJWoFEJhZ/VNqSfY6XvfPnvQtupEMGFli2mCWfpV7TK6VNANTtSO
V4jTS4WYK/cFEaCfAwudyntvl9bhaEZAJNeC5GkFRKZmDuKGKxBHwQP62lvvH42X
1QIDAQAB
-----END PUBLIC KEY-----
`;

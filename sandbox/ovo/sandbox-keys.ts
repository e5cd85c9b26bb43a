/**
 * SANDBOX ONLY, PUBLIC: the sandbox OVO's key pair halves, published in this repository (the gateway keeps the other
 * halves in domain/sandbox-secrets.ts; the sandbox imports nothing from the gateway). Never use them with real money:
 * the gateway refuses them in production (domain/production-check.ts lists their fingerprints).
 */

/** The sandbox OVO's private key: signs its notifies (`SANDBOX_OVO_PRIVATE_KEY`). */
export const SANDBOX_OVO_PRIVATE_KEY = `-----BEGIN PRIVATE KEY-----
MIIEvAIBADANBgkqhkiG9w0BAQEFAASCBKYwggSiAgEAAoIBAQCyK8VSzpbg/nyU
pz27HraLjL3Oevv12wuY1ro+D5pUs8bDAyCEJIk1fEUUSbTIniOxN302yZOf7YxV
QYVpC1p8qJ2k+N9KNg+ILRpGPiLq3mML69SbCmTMmg6cpNR6WsBLd/GxgchJ1OmW
uobsBbfvlL2DdDLCZEfT06GQs/kHSpQuLKlNsgR/OPAMGHEGiccbfCu+GY1yqL9d
24cyldx4FBZv9LOPGj+Lchcp3u1Q5eHXQ3tMUvltB1GVQc9Hgvweivupo2k+yv+m
5xdcU4OUZ6/qmhmsJEVyKewM5YXBBYsET9U0s8+SLgalYgENTP9yivdFm/hE0FiZ
Uz+7iHiRAgMBAAECggEABOWj8X7aH6FIJnHQmGXjkIxYdgrR4S9QOG3ovNQ50GcH
+14tWVRxdiOXQeXsJbErBR1/La+bO9XreaT685aZAxfVnomZKqxJ/5G+7Y52OToX
Qx0MHHmnX0+wrR+DPK7TS6RLCC89tsHJNc7tyiISGpSnSD5gpRCTrfal2E/ldDFg
F9w+/OnPAFukSHqvtQWOB5XMnbcj3/JpObqavekkswlC6hh+Xi2vN9xqJ/gu+vFc
+NrfTYmwNH9e5iJJdrAFNPc6CuyrXI74zQj9zHMHbOftGl0waLKNTNejLFMJKJyG
yLYn+aMCv9x/Dtqw2/Jl7OASuh6epAWUNtdjDWwCLQKBgQDhMxpZCP32+9bKJLQi
HrPmaKMFHzxabIYiplMRxSPVaWvzVX+jC0V9qdH+HqcgLlbBkX6Eou5yTs0eIdcE
137Pt85CyhNJsVvkDhxtzmRyqYGBV+uW81xAXAUoGucGSTtDix2fSgjX6wQQI1io
SGlHPfQfSUEV/sp0aq8pQbG2awKBgQDKig7DBLJcBXl8j1zPbJmSFgMMQU1Uc1hE
yQSLXNqaRM9zXwDDojeYwFHeO4LT8Fd3qoO1Kr58c/IhSgiaGY71i3G4ynfxP+kZ
CaULVO1mE9IPd9xORmuZ5EnWHzMN9rASobBQ8vQVmQS37M4KvEPKgAkF7JyOslQQ
lf/FT8Mz8wKBgBlQjEqr5xiHcLqia5lWSDTDWGfv/fHQNzfX6Iib145a3mapGsLy
NmqM120wdur4Kopx134DbrhswUP829XQf5HMAKSjYI2tIT4+k9WIGOSGx2cJwhLi
4mDdtzqt44BiZQYPslHAmcPjyD4kKwgns6Xtge6uZmGZlZqGj5AcsWRnAoGAJoA7
8iJwbUG1KFJwSBXS04xPpAK92nHas6iqrntGKtEtxjanBIlPnD/i0CXr5rHnTp4h
T00CzNGVk3JpVDHLlS2evovuZPPLMbE9qHvKbP8TjVExlceZKLXWu1dO8zaTndcS
lzC36WsfFH91Y2EKWfIgxPmHgTCw/j4lUrKo3rUCgYBvZFJKO7iu9cwlCR4owY6C
ee2oolVp5pxqtsI0LFAJBwsav7BQSkxqVQyRXhfFwZlxLfcvOkwNj6gQQK8Frmd3
JcTrfoucoNR3AsAz1B7WAHnxgQByuL9vfV7rhJ3K757brMZXCfzHXzggoRN2xoGx
UdvPUFkZYUnfjpIZmBjOPw==
-----END PRIVATE KEY-----
`;

/** The public key of the sandbox partner, the gateway's sandbox key: verifies its B2B token requests (`SANDBOX_OVO_PARTNER_PUBLIC_KEY`). */
export const SANDBOX_OVO_PARTNER_PUBLIC_KEY = `-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAr+lfXAnfQ3n1nZ7x+iCn
RM+WM3OwZwIoJhpsAKdj4fViNIWNU4mf9Ev3ytIepLz/uDeYSrZ40lTKsgPzQ0q8
rocYUFUZNSiY9BWwf7DEkZD4iQOJNeIzIP9iVA+p1mYTCAFXVNBSr9AkzMXHLiJ+
zAz7V1HcyXU2M6qJ7+kUAsiVnDDolKKzDbBwvvO8COHP0NGCYzq3Yj7aqaO4zEZ7
z6WPvYFJrUyh9r/o25THVDVShnoXlSYbddMs+zzJARw68DnqNjcEztiwtZ3aHVlJ
L/FQ+I1SjxAuntafgphNBhZ1j/tbIpBXMadKFEjbQ+i3YHKxEdpnxotA1DzznHM9
0wIDAQAB
-----END PUBLIC KEY-----
`;

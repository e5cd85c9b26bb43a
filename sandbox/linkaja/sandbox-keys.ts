/**
 * SANDBOX ONLY, PUBLIC: the sandbox LinkAja's key pair halves, published in this repository (the gateway keeps the
 * other halves in domain/sandbox-secrets.ts; the sandbox imports nothing from the gateway). Never use them with
 * real money: the gateway refuses them in production (domain/production-check.ts lists their fingerprints).
 */

/** The sandbox LinkAja's private key: signs its notifies (`SANDBOX_LINKAJA_PRIVATE_KEY`). */
export const SANDBOX_LINKAJA_PRIVATE_KEY = `-----BEGIN PRIVATE KEY-----
MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCgRepaSfwiTsoE
/OcRdLO5uRyX9/q43dRXsUfp0KtVHrSzk7JfxmK+eq2U4Zee17XYo6NtS5W1STan
3Zy2/S+zW8iXP1pe/heoZBujQuHwt0PE1eVU26XJ+c9cCRfd1cF6c5njgtIktwhF
kbl0+QXtcMpPUFBlvU7wY56Szsp2J6lA6daPfRkMJ41KTJqddCWbieG1Anbd+9ej
o5m3dXIxgsGS9yYCIOnwr3ctm27S3jBEBdGaTpA8JaDoUmE+giFyRRcXHiebyRvO
zc161cWtwHOTFRKpFIEfqKa8bohVllkNK4CrK9AKS8I25E84xBnrsfu9tRxyEn+E
QIf2Zh4hAgMBAAECgf8pYSCmkIvdpQw6VdRe3iQbJKOq+kLl2Ww2XGp92zFtQoBA
bzbzzHVQh7E9CD5+q91r4KMUJxpPIYu9/CQw0V5a2AJHa/uHlzdHf4T4iXCnkPKA
ig5KI5AYA0KqyZXZyMQrOtIGlgkxid9DhKVQ+71PFnp6khELP6RezbsXB6Ix6xCa
uR2SaF6iObPF9jtN1HvoF57lBy3+84A3RMGCaV7g05fVAv9ToHBvLiJf0ufgLHz+
XOB7Fyu6q9wF6UTchf+Iu3YPjSX9LrX4y5BiYq1wvouypnqbyBJeqaffcia6HQU6
sX08lUa83ZPidgkAyktPfM5UxIxI6fOtd+n32rECgYEAzVZ7QRIihJTeDHiJv4SO
URoGywcWiiKzWSd/FGkIUXpXJrOJTYnRTpdX6R9jExefOdZgAWevQA4MOMxAkz1C
xilx1s0NN55YllS0c/6WngZLhAI4F9+l1jY9HFlpuHAO4CetEu+5WSf29GlC2cJz
ABAcJZOUsWHkMhyeYco0CCMCgYEAx9EQIUH3lB8IwWC17RCLK3lgxQYnBqUDQA0U
8+gm8+GQsiSmBaND+M6kqTvBDHrwFstdpXXiUonSs0C9H3wmQ3QbBArBX1OU6WXh
O9VXchqSf+2dN5Iy22Li9SGEt/zZmm2cec63q66CD4I62mV4td8DT31MmSdKht8u
bbQaIusCgYEAmLaZ4lI/c8VXw4SeRd6rDaxCoxq5a7DVHBhgzegztI09Zd4e3pkC
HuY2Dn42bAukcxp5unHHh+cqtc9Ks3bbQ4+tR6inDNdqYRvMPXx5vjtGTH5uA2tk
5gTevEfPdcl5dsJrWOsLOUCczTe/7T5N0x0oIdY5vxbj5VUdgfMlcWsCgYEAkjRd
ugf7sIzYqi4qT5DIVAIXFXLAAXOiIi6wQxt9zPsiFccNF5jztkz1XMLVKV2W6Qba
uaO8+ynPWsum1i/QC5Eb52Q7Q5XzoqeiG1aqClp5EVP6sluuDKqZaEWjR8CiNAW5
9cKUz/D7R3/BsmWG4oSQdow3DOUb+f25ihm6+gsCgYEAuaauTuaH+PF+sJqVpL95
tQjA0huGi88jO2abFJJfV/wCtql6FdFv1nQ8HLj3BkA6noVnT6teUgzfcVtWaMcv
E3DYRatta5CoJAKIV4JrGGCFrZ9AXyOwgSmntHnqsT3KoHYkTzUtuErwFhlP68EK
MFdmLEBvVQWlYiDzWcBZi6k=
-----END PRIVATE KEY-----
`;

/** The public key of the sandbox partner, the gateway's sandbox key: verifies its B2B token requests (`SANDBOX_LINKAJA_PARTNER_PUBLIC_KEY`). */
export const SANDBOX_LINKAJA_PARTNER_PUBLIC_KEY = `-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAjXRyc+Cubf8MGeUH/ioN
4exHE2mCQ5rym58jGI+p5m2NxBGtEEPMWlLbC5W2SYqG8DNHzdCI+7SGuDrx6UOR
0mG9+65yMNSKPikCF4DR/dpwBt9jyNCABc6C+GBmcAjIH3BBaaM2Ii4NMYjNimzT
D+jaXsK8bDaGFavw+VzQBG+C5PWc74EMpK2GhJ5Qvk1XXJ0OoStYsTtCguhtncJl
Flc4zApBgdk4RX8as4QsuOHkcS5cBvZZ+r6Lh4z4q1RVN3cW1aNWjfT1lCtMDjr0
zhKLxbImG0GvFqIdS0Ki+Q/t2TdcjYu4DK6ns6Zv5c6msuIyN4I5M0NM0vjsYlXG
UwIDAQAB
-----END PUBLIC KEY-----
`;

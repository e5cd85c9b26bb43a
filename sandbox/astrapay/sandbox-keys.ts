/**
 * SANDBOX ONLY, PUBLIC: the sandbox AstraPay's key pair halves, published in this repository (the gateway keeps the
 * other halves in domain/sandbox-secrets.ts; the sandbox imports nothing from the gateway). Never use them with
 * real money: the gateway refuses them in production (domain/production-check.ts lists their fingerprints).
 */

/** The sandbox AstraPay's private key: signs its binding and payment notifies (`SANDBOX_ASTRAPAY_PRIVATE_KEY`). */
export const SANDBOX_ASTRAPAY_PRIVATE_KEY = `-----BEGIN PRIVATE KEY-----
MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCWDeZBcNRShq9s
Mu3hsG5KIzZFg+LmUMetIjQvX/tgjQDxsBQPl7Rf2Z2IfJo2dxupPiaHR7/qevtj
+S04Sq1WFaZVTnRCyTsXbwXwvn1NW6zSVrlB/gCwjQzRWtVmjzdldMk+np9DfLLr
Q5gZjSZy1w5YnpPZZhyXspOi6NrJpcY9n3agKcTU6I81v4taSrVN00Xeq0pcK/pw
QK6ZfxuhsWd0+QpYALWvfM0qs9/BXcUl5xGHBeEefNruatBo7NbnAZoVl12g0iiG
t5xKUQGHgexeutnkowQ2/qQ0AlYE4K3DdehSs2XPCjnZpaRrGUGvKQX/kYc66KBV
XNMczQ/1AgMBAAECggEACuSQagC8UQ9Y7bRWw3Lw1q3usyYrUwfbLuzUN/oyP+SM
hH8BPc6H+AtOnclZ0olb9zG9T0W8n1N1K2E70KHPKngg3oF2/CAqi31yQ3M4mmSE
y7Ii+bDsMOTUYOBErJDJ9zH+p+6Q5i/Htz9ta7Fs8Jo+/tzoI7h/a925TPK1azzi
jGsHSQolQHqsniy2fDPUTBZCzL1d0u6iqg/KoJ1m+3L+SdJsL2FA86QkXa5vw20G
cPLh+AQOx/6htWzEMSZchm6geX4wpVmOfX+esYZKOwpAexugwCtl9VYe511xknr1
Nz7wgdTfgjlMV5RnMznKpoSN92f3dCIsMdUC+1OVcQKBgQDIHW5CD8LnF9bjCHni
Xx/YRD/VDsdwXOGgmqCieL3/kO2n6qx/4Zio463G++o/FTQY6areK8nv1eOv1Aso
fAa4sdwGk5R4OnhB+Ukj3vUPgYDCRY8JbGkg/r0RtDS9QvMyECF1oM3P1IMhgxXh
jowZOA+IzNwepviFPUL6b8RW2QKBgQC/9Ys318HepYf+uqqZPw72jDkSwKcmlFGc
K9uT5SGqggkYods3lEYvkBoI2xjdkM/YMwQpg8BhGPRWjSa4C8GEl4C8J5oe+WAf
zZgATuUJ+lsNc8EJVJ95OpDSNfUYscGXPXplr22SXj9j1v4HfSyMnZABhLfkLG2S
lBgwNMrofQKBgQCgwXu8V/sDN9RpJ3r6Td5AFnuMxUWTzxl1siHOwt4mup8f4FZY
mLrRGa2VBvPjXz4tsTCRL24WW6V/rwCTsiaYIlEVe2KuvpGytfZ6eXY10ZvE9Kn2
MP+3AMyTt0cSrwC8u9aVLuuGxDnfJvXh72g+LhnUlHVTrmBAcLkog7ae6QKBgDgu
eGGOrzonvmbKYVXaw9la7vVTF1jOPhh0KZ7eh/zsdBcWgB+DMQuIpGYFIgDu+jXv
sH8qBWslr5WJWFSzdB8HbHElMhFwsTZ9qMgmTxidgnqsb0n4z3fesTYk/qgMlnla
T/Fk56/YD7t71/t/IkPBdb1MB7orWqJ036N0QBLNAoGAKnllFghn73QI9MYWK5Cg
2dOIoeLJ9BoNXemwBBPGaoh/VrpSoZKHhVtOZ7wKz5M5NWgbf19b2vLi5xzY9kbp
0/7Dt8BoOzumUKNtEjFnBA/Arpw6Ds6Fl6xlTK+nf2h+1TwNoZa/tsBsXe7ezdGe
cQxx9cTRbLd/gFPH9N6z0q0=
-----END PRIVATE KEY-----
`;

/** The public key of the sandbox partner, the gateway's sandbox key: verifies its B2B token requests (`SANDBOX_ASTRAPAY_PARTNER_PUBLIC_KEY`). */
export const SANDBOX_ASTRAPAY_PARTNER_PUBLIC_KEY = `-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAmEo7pmrZdajJWtz2k9n3
b6FE5N1lJ3dcRKbydfiGlUEBDwUV92eH7mT5E0vuw8JqkUggUpNo0e1qS2pKPVSb
FjddyjqXCIV/XxWUAOxlz53bshQrfG7lP8PpVYvM45y7WE0SkW2EhkubL1bMBcjF
Nqh/mk7/S71/Sewxs/46zvDHMgLDRjVUUtABt+9DgLeTFFepQztK4eni3ujfdWvZ
oBIDLy4xV8FLRULgWnMgYTsKcxbdXHZa3sOTVmKQZHGFB8cjNyDnR7FM4xAV3e6C
dUpOTfaLqsIfnbfydvhKnTZx/M33K6dRJAy9wy9av+GZGqT5pvHU+HH8MblZzidf
9wIDAQAB
-----END PUBLIC KEY-----
`;

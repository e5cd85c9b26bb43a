/**
 * SANDBOX ONLY, PUBLIC: the sandbox DANA's key pair halves, published in this repository (the gateway keeps the
 * other halves in domain/sandbox-secrets.ts; the sandbox imports nothing from the gateway). Never use them with
 * real money: the gateway refuses them in production.
 */

/** The sandbox DANA's private key: signs its finish notifies (`SANDBOX_DANA_PRIVATE_KEY`). */
export const SANDBOX_DANA_PRIVATE_KEY = `-----BEGIN PRIVATE KEY-----
MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQDblBPj5ttF6c02
bn5cov4Dz0A2WjjqpCUkX9MQWhJRbzYlaKhWtlSQ2Q51WqBcynxnQ2/PmxSnM6AQ
RNahz1B7s+P7Qbr4+j00DEaJFSpBf39jKNLp86R39KMLcGKNhH0uKLWV5WRRr6Fj
mrr5Ztkc+KFwScTsxs9yfccm/4mWIS76pfuH8OaX0jUnMDYraL+t2SoJBjRBEg3T
/255O/Z0Kqmq2QK8UrIryN0ZjosLDtHL5VMoXCHL69lr4GW3jqjD7AqaNSPmsijq
XWXhQ4RxWZO3RdVUqXGmdLSUdvdSrdDJSJo8PrG9KngpRuxKNtrfsuECry8U7cxC
T5sILz85AgMBAAECggEAVuYhAwo7kE0prleHQcEttzM/zeLh8Jaarm0P+kIzSrAx
JRfouzx4dkS4sJ/3pBFsr29kYiyVPWC0gYvEx4/k4bf9S1Qlm2BpdV5AUgMi0H4V
W5ht9DG8zs5t8lp9XlVnNyvcRWDd1Wgk/mbfhVF7LjiFp4tCWJSLx9tYRCpQeK2Y
oPhCV/0lw/qVk0+BpzlhmTSX6NROFTjAR5+n/jAyJmWBrPcqE1emaRjnAD7XzDaM
+An5Es+0snCiBEbnZ3ECCOHKnO7wTOvTRK7LfKPNFVtB8TcH8CtZyp6ctlHpF/v1
4HU3xueWjEokxGhBJ7mYtY6k64/GugIWgBTVIDXSewKBgQDtpjmgnuHFahg5lfd4
lHRFwtjLefRI+0vBXU1eAfZy/zfEOZYH3y5KZg1PBx41uCYpUrDqiq6C6yHPTt2a
Jmlu4WaJvaCSj5xtEy6LjpF4xXPL2Cdpi8F2GgZ8jZlZ2vKLeCEUsPdC1OtZ7Pxs
1FUhCXBS+dMoeVS2bQQSAerpPwKBgQDsiKITaurRwFsKRSLMonVb4cVW0kO9cxm4
3C6lRX+3EATYOLOiPRvH/DknLteOWUbRjro2tspSwJRNIh6bmBcK8+3uRrRyRR1m
rMjhqYa5CoFuioGcVu0vQ5qRTdJfrQzVxOHa5BfMwT4JaKSO94PnoilIQTi+gzrr
ASPxj1sBhwKBgE2NoGK9VrpA3DT2rrLH54XYhz0nyEOE1nz8wMG77Dws83ryu/ZH
q+iVkyRGE2K+fJ2hoaB4r2iD6R2pBAJJJMENh5PNsTgC665gwyDB3tFFxnswR/RW
qkSrS5Cb+P5syBghlNIWyioiJ8fJ4bp2NG26kdBSPMmJhs6dluV1gL6rAoGBALg4
9prPBBLXkVCfZiohQeyNHCix3UaZdegvvTjFt2H53PwWtXnfxFpvDIiDCCn7SJgA
ZPImTdBD431r3JDs1M2YDLEvam0xfWOxoUd4xNAr6YER6T69yT+tlJ4lEXupCT0Z
eZsFWbAEte+YC8q55ocrGqIHAk4HYYUVP0xtjcDTAoGBAK+RDvzgC0dNCr9UnYin
6X1r5jm/88yDKV5j/XX+NBJuohHosgBkw9IjbB5s31MpYYgnxPG/zUg2FOu//yVK
uoq9DRHaMB8RzjWnEr//artwbMMk6Y1/lHeGKasU26jW33gVweqQXhFBBX7GOzrd
tz6DI01MMkdPsVF2gkbYe/VI
-----END PRIVATE KEY-----
`;

/** The public key of the sandbox partner, the gateway's sandbox key (`SANDBOX_DANA_PARTNER_PUBLIC_KEY`). */
export const SANDBOX_DANA_PARTNER_PUBLIC_KEY = `-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAmH43vG8ada3g81HhpPhE
/xn5ML0DAvSqgv4jBEvfKxor8J6C02iiEo3uDsVNTkpx29SbWyt1NLot8EBMbPs/
eyB/dR+8GlUgun4PwR21HMmdRanNxCIObEAJD+jyU7kN3ek/IXBj2+BllpcAaiqA
a0Eoxl5MWjkxi7IQo9pE6IYS5SSi1Uu2KTX4blrrpEYxm6fXgw1N0bNrtOQNVKS4
rJ1EPCQ2W/1pa6lMDgceB/qnC8H1HM3qMuJr6yjFiiEVHeSHf5HBtUU4ai0MaZsh
wMBYGJbnRJIIXVnNd7xG+UYhZq3loqvMGn9J6jfz9RicMhGanhtJWxPaLE4J654U
cwIDAQAB
-----END PUBLIC KEY-----
`;

/** The partner (`X-PARTNER-ID`) and merchant (`merchantId`) the sandbox DANA knows (`DANA_PARTNER_ID`, `DANA_MERCHANT_ID`). */
export const SANDBOX_DANA_PARTNER_ID = 'sandbox-dana-partner';
export const SANDBOX_DANA_MERCHANT_ID = 'sandbox-dana-merchant';

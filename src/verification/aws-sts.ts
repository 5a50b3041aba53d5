import aws4 from 'aws4';
import { Secret } from '../core/secret.ts';
import type { VerificationResult, Verifier } from '../core/verification.ts';

const HOST = 'sts.amazonaws.com';
const BODY = 'Action=GetCallerIdentity&Version=2011-06-15';

function xmlValue(xml: string, tag: string): string | undefined {
  return new RegExp(`<${tag}>([^<]{1,512})</${tag}>`).exec(xml)?.[1];
}

/**
 * sts:GetCallerIdentity, the one AWS call that needs no permission and changes
 * nothing (it is logged in the owner's CloudTrail). The request is signed here
 * with SigV4; the secret key never leaves this function except as the signature.
 * AWS answers `SignatureDoesNotMatch` when the same key id is used with another
 * secret within seconds, so that answer is retried once before calling it dead.
 */
export function awsStsVerifier(secretPartName: string): Verifier {
  return {
    hosts: [HOST],
    fixtures: {
      live: {
        status: 200,
        headers: { 'content-type': 'text/xml' },
        body: `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/ci-deployer</Arn><UserId>AIDAEXAMPLEUSERID0001</UserId><Account>123456789012</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
      },
      dead: {
        status: 403,
        headers: { 'content-type': 'text/xml' },
        body: `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>InvalidClientTokenId</Code><Message>The security token included in the request is invalid.</Message></Error><RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId></ErrorResponse>`,
      },
    },
    async check(keyId, ctx): Promise<VerificationResult> {
      const secretKey = ctx.parts[secretPartName];
      if (secretKey === undefined) return { liveness: 'not_attempted', reason: 'secret access key not found' };
      for (let attempt = 0; attempt < 2; attempt++) {
        const signed = aws4.sign(
          {
            host: HOST,
            path: '/',
            method: 'POST',
            service: 'sts',
            region: 'us-east-1',
            body: BODY,
            headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
          },
          { accessKeyId: keyId.reveal(), secretAccessKey: secretKey.reveal() },
        );
        const headers: Record<string, string | Secret> = {};
        for (const [name, value] of Object.entries(signed.headers ?? {})) {
          if (name.toLowerCase() === 'host' || name.toLowerCase() === 'content-length') continue;
          headers[name] =
            name.toLowerCase() === 'authorization' ? new Secret(String(value), 'AWS4-HMAC-SHA256 …') : String(value);
        }
        const response = await ctx.request({ method: 'POST', url: `https://${HOST}/`, headers, body: BODY });
        const xml = typeof response.body === 'string' ? response.body : '';
        if (response.status === 200) {
          const arn = xmlValue(xml, 'Arn');
          if (!arn) return { liveness: 'unknown', reason: 'GetCallerIdentity answered without an ARN' };
          const account = xmlValue(xml, 'Account');
          return {
            liveness: 'live',
            facts: {
              account: arn,
              privileged: /:root$/.test(arn),
              ...(account ? { details: { accountId: account } } : {}),
            },
          };
        }
        const code = xmlValue(xml, 'Code');
        if (code === 'SignatureDoesNotMatch' && attempt === 0) continue;
        if (code === 'InvalidClientTokenId' || code === 'SignatureDoesNotMatch' || code === 'ExpiredToken') {
          return { liveness: 'dead', reason: code };
        }
        return {
          liveness: 'unknown',
          reason: `unexpected STS answer: HTTP ${response.status}${code ? ` ${code}` : ''}`,
        };
      }
      return { liveness: 'unknown', reason: 'unreachable' };
    },
  };
}

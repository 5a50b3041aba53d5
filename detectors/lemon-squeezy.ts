import type { Detector } from '../src/core/detector.ts';
import { field, httpVerifier } from '../src/verification/http-verifier.ts';
import { secretText } from '../src/verification/sensitive.ts';

/** Lemon Squeezy keys are RS256 JWTs whose payload names the key (`jti`) and its user (`sub`). */
function isLemonSqueezyJwt(token: string): boolean {
  const payload = token.split('.')[1] ?? '';
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    return typeof claims.jti === 'string' && (typeof claims.sub === 'string' || typeof claims.sub === 'number');
  } catch {
    return false;
  }
}

/**
 * API keys: a ~1,000-character RS256 JWT (`eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.…`).
 * Any JWT could have that header, so the words Lemon Squeezy must be nearby.
 */
export const lemonSqueezyApiKey: Detector = {
  id: 'lemon-squeezy-api-key',
  name: 'Lemon Squeezy API key',
  issuer: 'lemon-squeezy',
  keywords: ['lemon'],
  pattern:
    /(?<![a-z])lemon[\w.-]{0,24}[\s'"`:=>,{()]{1,4}(?:[a-z_]{2,12}[ \t:="']{1,3}){0,4}[\s'"`:=>,{()]{0,3}(?<secret>eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9\.[A-Za-z0-9_-]{100,800}\.[A-Za-z0-9_-]{300,800})(?![\w.-])/i,
  window: { after: 1800 },
  validate: isLemonSqueezyJwt,
  entropy: 4.5,
  severity: 'high',
  // `GET /v1/users/me` (read-only "who am I").
  verify: httpVerifier({
    hosts: ['api.lemonsqueezy.com'],
    request: (secret) => ({
      url: 'https://api.lemonsqueezy.com/v1/users/me',
      headers: { authorization: secretText`Bearer ${secret}`, accept: 'application/vnd.api+json' },
    }),
    deadStatus: [401],
    facts: (r) => {
      const account = field(r.body, 'data', 'attributes', 'email') ?? field(r.body, 'data', 'attributes', 'name');
      return account ? { account } : undefined;
    },
    fixtures: {
      live: {
        status: 200,
        body: {
          jsonapi: { version: '1.0' },
          data: {
            type: 'users',
            id: '184029',
            attributes: {
              name: 'Dana Ops',
              email: 'billing@acme.test',
              color: '#898FA9',
              createdAt: '2024-06-10T15:43:42.000000Z',
            },
          },
        },
      },
      dead: {
        status: 401,
        body: {
          jsonapi: { version: '1.0' },
          errors: [{ detail: 'Unauthenticated.', status: '401', title: 'Unauthorized' }],
        },
      },
    },
  }),
  examples: {
    match: [
      'LEMONSQUEEZY_API_KEY=eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiI5NGQ1OWNlZi1kYmI4LTRlYTUtYjE3OC1kMjU0MGZjZDY5MTkiLCJqdGkiOiI4MjQ5NGYwMWFhYWVjYzM5ZDBhNzNjYThiMmUxY2NhZjg4N2VmNzM4ZWI1M2YzOWRmYTBjZjQyZGUzZmVhNTU3NjE0NmNlYmQ5OTYyOWE5ZCIsImlhdCI6MTcxODAzNDIyMiwibmJmIjoxNzE4MDM0MjIyLCJleHAiOjIwMzM2NTM0MjIsInN1YiI6IjE4NDAyOSIsInNjb3BlcyI6W119.KM5nLPo2hwXMtCm6IvR2hrBy9VZj8uDIBrzZRdtQMBb9-aaBlkcWDahunjdTzbKYFXWQTuVwAjWOqsGoqGGwNmY3cx7Qp95hBk3Tfwj6ZGv_MKocTTvvkrD4-XVwQwUszLdSjDPLnIEsJ0MLS8ep4n9iqAxccF9DCjfHX8oKpGfYAK3lFI-qV_-3Uc4SbUgev3Om7Wt4j_kL3i2y0f9Dtv4MeB8CqkU6HtadUEb8yXK7fgtHUh22GCLHbSe22DsbI6y3RaY0umSvJmqOeW5-HOVeTQcQjnELFR-4sfYSCYLmsaAZpXcNN1J-eZh1YV2NpkgISz990NnAaE40itG8DmdlSylWPHzT46Yw4gO_3YFfQuJlBqslP1R42T2nZxUs3DkuQNBz0Sm-uxUsxWvbizwBjtN5rgEOj85SJjIllHe4g7VgnMU-lZmXjBtWzZ9Rtjdzo_WWLN3k_vQX0Xb6JZp53RJ_I4x4uLlC0FM1veLj2RThi2IImn102-rRDwqXqV9WtK6_poPmj6TXloKp89rHT0zpBJiGUWjTnNRDz0NR_ctHEwetq-eNgfGkl9YMm_XD5U-WuTSFV0LU4iUOe_SCYiSroMt3Qq5w-_nLpvB6RRNSrtlqwF_XKdHR1FOOEpkmr8PfFu71-SZWuUmIx0s3G_OxJ4ing35Azz61mF4',
      'lemon squeezy key for licensing: eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiI5NGQ1OWNlZi1kYmI4LTRlYTUtYjE3OC1kMjU0MGZjZDY5MTkiLCJqdGkiOiJmNTVjMGZkNTMwOTY2NDBiMWVmNWI2ZDU3OGM3YjdkOGM5ZGQ1ZjkzZmQxMzlkMGQzMTVlZjk1MzYzMjYzNDYzYWIxNWYyZmM5NzJkZTAwNSIsImlhdCI6MTcxODAzNDIyMiwibmJmIjoxNzE4MDM0MjIyLCJleHAiOjIwMzM2NTM0MjIsInN1YiI6Ijc3MzQxIiwic2NvcGVzIjpbXX0.44qw1dC-LYtGa58xya3OPyAlElGXGtfbKnZrPpzn-811qO4iLeDtlroBYTb7IJZGQGd8JmV9ac1q3A0XrOBLJsXcOJ4uTmKf290d9XCBgY_Gs2gU7W_ceE03667d73380XIX_cDt-Gh7uW4Tw3xRBtPxcGlV69WB7SwZqftQ3RYlt-19b_m0hrq535F9czkheszBCnZ_Vu1RSIGCoYHbbZivl-Ly7SlCZ7W_5IYub9fSelTiTpBKoQgOqCkb_HzlQZ3mVefHK6RCPpGMJIDKTp3dB1J_Sn0hl0v7KdKPpN_2SJ_GpVfMoS8GWYT0tf-WsQ13pYde3_eD3_b1rWrgv8jfPu389FoWhs7HG53k8YcrwgcVStqbq17UBghiRo7ZKt-2xS22iMvII_PJf79FtjoQ4O2prMWlcsJPtmzx7LPeagwzXTUT1JV2aX15RINxdduvBOqp3s3KyD0QFNwPuQM4kLBKL9fHCGLe2ZC-WxPnj3sJEHzbZu3oTi4QerNLCVgEq9nFeLFYLOuO_iwbpGRbnDUP1PMARjC_Y2AZEc_TSrYQNG8s5F06weLUE7AByec1ne6YeDURZ-NKTzOLxtHrXmw9Xhz6Ncl3yzukbPq-g8wZ4XwA6BTn0lJ9uBV9lZOQUCGBzJOFKPeaB45ZSrM3rq4S15zqP5Z0_fIbRXQ',
    ],
    ignore: [
      'LEMONSQUEEZY_API_KEY=eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9...',
      // payload is not JSON: a corrupted paste
      'LEMONSQUEEZY_API_KEY=eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.9f4pen222u4l4tnpt4w94nxjppg9cqpoa30qfmadoty5gzwohf7cljkw5p7jln8ughq4f11tw2h8lnpta21h99n95ic6xan92armh2bbl0uncmk9zqyrq3cnxxowbxryssaxn8n3cabtvj3rg73nns9mjvys2hulxppk5h7lbnl9iorpb6uz2ijzx4ifodjfd5vodmj8uxfkmohcy4wld2f02hd2z3da01qxd7eqbx3vzd6nunxvnh6maf0lxk8u2pa56qln8fl0ge95vrxja6c0y39yxongvygsnn0kd5n39nzg6w584qa2e.wlptix437lb1wt2flglobb6um1dqxhbl2992kroj43n0xgqy6a5fgq5kblrqtdlof8mvxn1rznvie9nq8scbv622pekpzjm2g5jicz0b0lr9dv1aykvk5bokpa4qx5sumb1ff95ngpw3t6a5otlciaejq06nxp2x9t02t9804eyjkdgf6r7f1sotdcl9wdv3gnodbkhxbxfrmuu3dex6hlhv6ns57m91t3aoo0s9l5ceymix6rwxmp2o6u6sps62awe7hjl0z38wq1xcr9ag8hjicuiy6u7974x6m3wf2b6m6xeqytcwnvxnyr6vr1a51hj9pvw5j08impsszz8yueyvr9agorwseglv8lnegsri5cr9hok366apas0z8gbcxyuir1fc5d9k',
      'lemon squeezy docs: keys are long JWTs shown once in Settings → API',
    ],
  },
};

export const lemonSqueezyDetectors: readonly Detector[] = [lemonSqueezyApiKey];

import type { Detector } from '../src/core/detector.ts';

/**
 * Tavily search API keys: `tvly-` + 32 alphanumerics, or the newer
 * `tvly-dev-`/`tvly-prod-` + `<id>-<secret>` shape. Searches cost credits; no free check.
 */
export const tavilyApiKey: Detector = {
  id: 'tavily-api-key',
  name: 'Tavily API key',
  issuer: 'tavily',
  keywords: ['tvly-'],
  pattern:
    /(?<![\w-])(?<secret>tvly-(?:(?:dev|prod)-)?(?:[A-Za-z0-9]{32}|[A-Za-z0-9]{4,8}-[A-Za-z0-9]{40,48}))(?![\w-])/,
  entropy: 3.8,
  severity: 'medium',
  examples: {
    match: [
      'TAVILY_API_KEY=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',
      'tavily = TavilyClient(api_key="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")',
    ],
    ignore: ['TAVILY_API_KEY=tvly-dev-...', 'TAVILY_API_KEY=tvly-dev-votre_cle_tavily', 'tvly-PoUJ9EsQgXeax5LBNUAYBF'],
  },
};

export const tavilyDetectors: readonly Detector[] = [tavilyApiKey];

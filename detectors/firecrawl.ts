import type { Detector } from '../src/core/detector.ts';

/** Firecrawl API keys: `fc-` + 32 hex; `fc-` is short, so the word Firecrawl must be nearby. */
export const firecrawlApiKey: Detector = {
  id: 'firecrawl-api-key',
  name: 'Firecrawl API key',
  issuer: 'firecrawl',
  keywords: ['firecrawl'],
  pattern:
    /(?<![a-z])firecrawl[\w.-]{0,24}[\s'"`:=>,{()]{1,4}(?:[a-z_]{2,12}[ \t:="']{1,3}){0,4}[\s'"`:=>,{()]{0,3}(?<secret>fc-[a-f0-9]{32})(?![\w-])/i,
  entropy: 3,
  severity: 'medium',
  examples: {
    match: [
      'FIRECRAWL_API_KEY=fc-31fb4bc7e7d397fec22ea9ef5abeb6e7',
      '"firecrawl-mcp": { "env": { "FIRECRAWL_API_KEY": "fc-6bf97485a797cf663793df2a973a4a4c" } }',
    ],
    ignore: [
      'FIRECRAWL_API_KEY=fc-your-firecrawl-api-key',
      'FIRECRAWL_API_KEY=fc-00000000000000000000000000000000',
      'fc-31fb4bc7e7d397fec22ea9ef5abeb6e7',
    ],
  },
};

export const firecrawlDetectors: readonly Detector[] = [firecrawlApiKey];

import type { ConfluenceApi } from './confluence-api.ts';
import { ConfluenceCloudApi } from './confluence-cloud-api.ts';
import type { ConfluenceConfig } from './confluence-config.ts';
import { ConfluenceDataCenterApi } from './confluence-datacenter-api.ts';
import { ConfluenceHttp, type ConfluenceHttpOptions } from './confluence-http.ts';

/** The API for the configured deployment: REST v2 (+ v1) on Cloud, REST v1 on Data Center. */
export function createConfluenceApi(config: ConfluenceConfig, options: ConfluenceHttpOptions = {}): ConfluenceApi {
  const http = new ConfluenceHttp(config, options);
  return config.deployment === 'cloud'
    ? new ConfluenceCloudApi(http, config.host)
    : new ConfluenceDataCenterApi(http, config.host, config.baseUrl);
}

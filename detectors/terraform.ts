import type { Detector } from '../src/core/detector.ts';

/** Terraform Cloud / Enterprise user, team and organization tokens: `<14>.atlasv1.<60–70>`. */
export const terraformCloudToken: Detector = {
  id: 'terraform-cloud-token',
  name: 'Terraform Cloud / Enterprise API token',
  issuer: 'terraform',
  keywords: ['.atlasv1.'],
  pattern: /(?<![A-Za-z0-9_.-])(?<secret>[A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_=-]{60,70})(?![A-Za-z0-9_=-])/,
  entropy: 3.5,
  severity: 'critical',
  examples: {
    match: [
      'credentials "app.terraform.io" {\n  token = "yluvsSvkroP7mU.atlasv1.uFiRWEF6HC6CLbRlhzKYHLigGjJ42PeLERvpusLSdwjDrbxS74C5CdO94qDv6jphbbu"\n}',
      'TF_TOKEN_app_terraform_io=fs2pS8JgM4EbA2.atlasv1.xmJADMoCzE6vOyBipGifaU5WNVkcgvlrSBD5V9ZWN6gJ9HFZoYCqGUcT53ApBzqqGSy',
    ],
    ignore: [
      'TF_TOKEN_app_terraform_io=xxxxxxxxxxxxxx.atlasv1.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'TF_TOKEN_app_terraform_io=yluvsSvkroP7mU.atlasv1.uFiRWEF6HC6CLbRlhzKYHLigGjJ42PeLERvpu',
      'tokens look like <id>.atlasv1.<secret>',
    ],
  },
};

export const terraformDetectors: readonly Detector[] = [terraformCloudToken];

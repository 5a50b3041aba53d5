import type { Detector } from '../src/core/detector.ts';

/**
 * PyPI tokens are `pypi-` + base64url of a binary (v2) macaroon: location
 * field, identifier, caveats, then an end-of-section byte and the signature
 * field (type 6, 32 bytes) as the last 34 bytes.
 */
export function isPypiMacaroon(token: string): boolean {
  const bytes = Buffer.from(token.slice('pypi-'.length), 'base64url');
  const n = bytes.length;
  return n > 60 && bytes[0] === 0x02 && bytes[n - 35] === 0x00 && bytes[n - 34] === 0x06 && bytes[n - 33] === 0x20;
}

export const pypiApiToken: Detector = {
  id: 'pypi-api-token',
  name: 'PyPI API token',
  issuer: 'pypi',
  // base64url of the macaroon header with location "pypi.org"
  keywords: ['pypi-AgEIcHlwaS5vcmc'],
  pattern: /(?<![A-Za-z0-9_-])(?<secret>pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{70,1000})(?![A-Za-z0-9_-])/,
  window: { after: 1100 },
  validate: (secret) => isPypiMacaroon(secret),
  severity: 'critical',
  // No liveness check: PyPI's only known one is a bogus upload POST to a write
  // endpoint (tokens.md #25); no revocation API for finders either.
  examples: {
    match: [
      '[pypi]\n  username = __token__\n  password = pypi-AgEIcHlwaS5vcmcCJDQ0OGQzZWE0LTI2NGEtNDAwYi05NjQzLTIyMjcxNDI0YWY1MQACInsidmVyc2lvbiI6MSwicGVybWlzc2lvbnMiOiJ1c2VyIn0AAAYgB5AjUNP97MQcf_NGe6DGOCAz4qSBa4Hi_UO0_yCF2GQ',
      'TWINE_USERNAME=__token__ TWINE_PASSWORD=pypi-AgEIcHlwaS5vcmcCJDU0MGQzNzE1LWU4YjQtNGIzOC04Zjk0LTU1YWE3NmM0ZjMzMAACInsidmVyc2lvbiI6MSwicGVybWlzc2lvbnMiOiJ1c2VyIn0AAAYgkeL96kHYNnKNfKnqMWh7dNHRubvzC-yvzwhGNWgTXfQ twine upload dist/*',
    ],
    ignore: [
      'export TWINE_PASSWORD=pypi-AgEIcHlwaS5vcmcCJ...   # your API token',
      'password = pypi-AgEIcHlwaS5vcmcCJDQ0OGQzZWE0LTI2NGEtNDAwYi05NjQzLTIyMjcxNDI0YWY1MQACInsidmVyc2lvbiI6MSwicGVybWlzc2lvbnMiOiJ1c2VyIn0',
      // the signature is missing: not a whole token
      'password = pypi-AgEIcHlwaS5vcmcCJDU0MGQzNzE1LWU4YjQtNGIzOC04Zjk0LTU1YWE3NmM0ZjMzMAACInsidmVyc2lvbiI6MSwicGVybWlzc2lvbnMiOiJ1c2VyIn0AAAYgkeL96kHYNnKNfKn',
    ],
  },
};

export const testpypiApiToken: Detector = {
  id: 'testpypi-api-token',
  name: 'TestPyPI API token',
  issuer: 'pypi',
  // base64url of the macaroon header with location "test.pypi.org"
  keywords: ['pypi-AgENdGVzdC5weXBpLm9yZw'],
  pattern: /(?<![A-Za-z0-9_-])(?<secret>pypi-AgENdGVzdC5weXBpLm9yZw[A-Za-z0-9_-]{70,1000})(?![A-Za-z0-9_-])/,
  window: { after: 1100 },
  validate: (secret) => isPypiMacaroon(secret),
  // Publishes to the test index only.
  severity: 'low',
  // No liveness check: PyPI's only known one is a bogus upload POST to a write
  // endpoint (tokens.md #25); no revocation API for finders either.
  examples: {
    match: [
      '[testpypi]\n  username = __token__\n  password = pypi-AgENdGVzdC5weXBpLm9yZwIkZTczMjI4NDMtMzFmZi00MzBiLThhM2QtNWE0ZTEzZWFkYmM0AAIieyJ2ZXJzaW9uIjoxLCJwZXJtaXNzaW9ucyI6InVzZXIifQAABiDtKStWuZcNXPV9R0q79KehXqgD2QeRrC6i3U0UVwS2lQ',
      'twine upload --repository testpypi -u __token__ -p pypi-AgENdGVzdC5weXBpLm9yZwIkZTczMjI4NDMtMzFmZi00MzBiLThhM2QtNWE0ZTEzZWFkYmM0AAIieyJ2ZXJzaW9uIjoxLCJwZXJtaXNzaW9ucyI6InVzZXIifQAABiDtKStWuZcNXPV9R0q79KehXqgD2QeRrC6i3U0UVwS2lQ dist/*',
    ],
    ignore: [
      'password = pypi-AgENdGVzdC5weXBpLm9yZw...',
      'password = pypi-AgENdGVzdC5weXBpLm9yZwIkZTczMjI4NDMtMzFmZi00MzBiLThhM2QtNWE0ZTEzZWFkYmM0AAIieyJ2ZXJzaW9uIjoxLCJ',
      'password = pypi-AgEIcHlwaS5vcmcCJDQ0OGQzZWE0LTI2NGEtNDAwYi05NjQzLTIyMjcxNDI0YWY1MQACInsidmVyc2lvbiI6MSwicGVybWlzc2lvbnMiOiJ1c2VyIn0AAAYgB5AjUNP97MQcf_NGe6DGOCAz4qSBa4Hi_UO0_yCF2GQ',
    ],
  },
};

export const pypiDetectors: readonly Detector[] = [pypiApiToken, testpypiApiToken];

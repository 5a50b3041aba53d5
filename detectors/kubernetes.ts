import type { Detector } from '../src/core/detector.ts';

/**
 * `client-key-data` in a kubeconfig: a base64-encoded PEM private key (base64 of
 * `-----BEGIN` is `LS0tLS1CRUdJTi`). Together with the certificate it authenticates to the
 * cluster as that user; the key alone is what must be rotated.
 */
export const kubernetesKubeconfigClientKey: Detector = {
  id: 'kubernetes-kubeconfig-client-key',
  name: 'Kubernetes kubeconfig client key',
  issuer: 'kubernetes',
  keywords: ['client-key-data'],
  pattern:
    /client-key-data["']?\s{0,3}:\s{0,3}["']?(?<secret>LS0tLS1CRUdJTi[A-Za-z0-9+/]{100,12000}={0,2})(?![A-Za-z0-9+/=])/,
  window: { before: 16, after: 12100 },
  validate: (secret) => {
    const pem = Buffer.from(secret, 'base64').toString('latin1');
    return /^-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem)
      ? /-----END [A-Z ]*PRIVATE KEY-----/.test(pem)
        ? 1
        : 0.7
      : false;
  },
  entropy: 4.5,
  severity: 'critical',
  examples: {
    match: [
      'users:\n- name: kind-admin\n  user:\n    client-certificate-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t\n    client-key-data: LS0tLS1CRUdJTiBFQyBQUklWQVRFIEtFWS0tLS0tCmgvY1pQdXNyallEampwRGJaa0gzcWtmYTZFSjFnVzlOSTZ1WXRWdXhSUHhMTE1xRFc2OG9HdjJ1YXFVcjJYUVoKbDYxdHNTcmRESitMQVh6S0pWR0VpYXRFZm5kNDRWRVBTQTYrNmo0T29tcDVMc1lseGRyOWtrTURDODR1UmlyRQp6OGtiYXZyUHdIaURYbitLTVMvMjMybHVFeFpZTXZCYXZ3PT0KLS0tLS1FTkQgRUMgUFJJVkFURSBLRVktLS0tLQo=',
      'here is the kubeconfig for the staging cluster ... client-key-data: "LS0tLS1CRUdJTiBFQyBQUklWQVRFIEtFWS0tLS0tCk1SUTMxaHNxb0lkNzJRSkpDd2g5Q00rV1NjbU5QYUp3cW53VVpCSS8yU1c0UG4xazZnVmdJdzFqMEx4V3YrcHkKbHRKZ3V2L0o3OFVQbnNWMG1uVU82UDZyb0dwZXpqS3dZTGdKQjVGbGNkN0tyNHFCL011bjFwNHA4YjJNcFpNQQpPSmI0Y3pvV1RLbWFKR2RiZFRmYTdKMmtNT0V5YUtXME53PT0KLS0tLS1FTkQgRUMgUFJJVkFURSBLRVktLS0tLQo="',
    ],
    ignore: [
      // a certificate is public
      'client-certificate-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUJrVENDQVRlZ0F3SUJBZ0lJWm5xUjJ0YnJ1T2d3Q2dZSUtvWkl6ajBFQXdJd0l6RWhNQjhHQTFVRUF3d1lhek56',
      'client-key-data: <base64 of the key>',
      'client-key-data: REDACTED',
    ],
  },
};

/** kubeadm bootstrap tokens (`[a-z0-9]{6}.[a-z0-9]{16}`): join nodes to a cluster; default lifetime 24 h. */
export const kubernetesBootstrapToken: Detector = {
  id: 'kubernetes-bootstrap-token',
  name: 'Kubernetes (kubeadm) bootstrap token',
  issuer: 'kubernetes',
  keywords: ['kubeadm', 'bootstrap'],
  pattern:
    /(?:kubeadm\s{1,3}join\s{1,3}[\w.:[\]-]{3,255}\s{1,3}--token[=\s]{1,3}|bootstrap[_-]?token["']?\s{0,3}[:=]\s{0,3}["']?)(?<secret>[a-z0-9]{6}\.[a-z0-9]{16})(?![\w.-])/i,
  validate: (secret) => /^[a-z0-9]{6}\.[a-z0-9]{16}$/.test(secret),
  entropy: 3.2,
  severity: 'high',
  examples: {
    match: [
      'to add a worker run: kubeadm join 10.20.0.5:6443 --token 8tdvh6.hmzq76mk5ni7vvug --discovery-token-ca-cert-hash sha256:1e6c9f2a7b4d4e0f9a8b6c5d4e3f2a1b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f',
      'bootstrapToken: "1z6k7s.3wdfp72ckzeo7lwg"',
    ],
    ignore: [
      // the kubeadm documentation sample
      'kubeadm join 10.20.0.5:6443 --token abcdef.0123456789abcdef',
      'kubeadm join 10.20.0.5:6443 --token <token> --discovery-token-ca-cert-hash sha256:<hash>',
      'bootstrap token rotated: see ticket OPS-4821',
    ],
  },
};

export const kubernetesDetectors: readonly Detector[] = [kubernetesKubeconfigClientKey, kubernetesBootstrapToken];

import type { Detector } from '../src/core/detector.ts';

/**
 * Firebase Cloud Messaging legacy server key: `AAAA` + 7 chars + `:APA91b` + ~134 chars.
 * Device registration tokens share the `:APA91b` part but have 22 characters before the colon.
 * Google shut the legacy FCM send API down in 2024, so a leaked key is unlikely to still work;
 * there is no safe liveness check (the only one sends a message).
 */
export const firebaseCloudMessagingServerKey: Detector = {
  id: 'firebase-cloud-messaging-server-key',
  name: 'Firebase Cloud Messaging legacy server key',
  issuer: 'firebase',
  keywords: [':APA91b'],
  pattern: /(?<![A-Za-z0-9_-])(?<secret>AAAA[A-Za-z0-9_-]{7}:APA91b[A-Za-z0-9_-]{120,180})(?![A-Za-z0-9_-])/,
  window: { before: 24, after: 200 },
  entropy: 4.5,
  severity: 'medium',
  examples: {
    match: [
      'FCM_SERVER_KEY=AAAAiv5qoBF:APA91buyaVwlr5uwS9yq4DXgvD6E-Mo4YVmD7njRbv2KMxkc7W28D4Aft5yOKKsAOIwpr30AT2X1ZODum3z0F6cY-RvbWFcZSkhPlA20xx4buzj5O8pOxxIBCPy_UJI1Pj50RPde-Rs_',
      'push still failing with key=AAAAADKrFoT:APA91b2JLggrFJPtRmPlKjVkK_axfU-ApkSMvDQNGSxTvVRjLJ41NKWwymp1dwhvBnS0smKfxuXhIBYfaKwHboxCMbidkBMwdvjvkEW6GFpY66t21OWZpSOZl-uKNePWMBoUgcI1xRXd since yesterday',
    ],
    ignore: [
      // a device registration token is not a credential
      'registration token: fX9kQ2mZr4TyUvWxP7aBcD:APA91bGZk1n3Q8vR2tY6uI0oP5aS9dF4gH7jK2lZ3xC6vB1nM8qW5eR0tY4uI7oP2aS6dF9gH3jK1lZ5xC8vB2nM6qW9eR3tY7uI0oP4aS8dF1gH5jK9lZ2xC5vB8nM3qW6eR9tY',
      'FCM_SERVER_KEY=AAAA<id>:APA91b<key>',
      'FCM_SERVER_KEY=AAAAxxxxxxx:APA91bxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
    ],
  },
};

export const firebaseDetectors: readonly Detector[] = [firebaseCloudMessagingServerKey];

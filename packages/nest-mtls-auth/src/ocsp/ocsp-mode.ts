/** `off`; `soft`: only a "revoked" answer refuses; `hard`: anything but "good" refuses. */
export const OCSP_MODES = ['off', 'soft', 'hard'] as const;
export type OcspMode = (typeof OCSP_MODES)[number];

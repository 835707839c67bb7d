// The bounds the benchmark reports against; the large-export test uses the same memory bound.
export const GENERATE_TARGET = { routes: 5000, seconds: 1, peakMegabytes: 200 };

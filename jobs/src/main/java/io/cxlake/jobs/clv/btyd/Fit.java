package io.cxlake.jobs.clv.btyd;

/**
 * The outcome of a maximum-likelihood fit of one of the BTYD models.
 *
 * @param <P> the model's parameters
 * @param params the maximum-likelihood estimates (the last point reached if not converged)
 * @param logLikelihood the weighted total log-likelihood &Sigma; weight &middot; ln L at the estimates
 * @param converged whether the optimiser met its gradient tolerance; when false the estimates
 *     should not be trusted
 * @param iterations quasi-Newton iterations taken (they depend on the distinct rows and their
 *     relative weights, not on the number of customers)
 * @param seconds wall-clock time of the fit
 */
public record Fit<P>(P params, double logLikelihood, boolean converged, int iterations, double seconds) {}

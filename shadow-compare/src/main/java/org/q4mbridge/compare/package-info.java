/**
 * Shadow comparison and the cutover gate (DESIGN.md §6.2–§6.3), on plain values: correlation keys
 * ({@link org.q4mbridge.compare.CorrelationKeys}), outcome and transport reconciliation ({@link
 * org.q4mbridge.compare.Reconciler}, {@link org.q4mbridge.compare.TransportReconciler}), reports
 * built in bounded memory ({@link org.q4mbridge.compare.ReportBuilder}) and the gate ({@link
 * org.q4mbridge.compare.Gate}). Everything here is pure and thread-safe unless its Javadoc says
 * otherwise; JDBC lives in {@code org.q4mbridge.compare.jdbc}, rendering in {@code
 * org.q4mbridge.compare.render}. Nothing here knows the bridge daemon or q4m-compat.
 */
package org.q4mbridge.compare;

/**
 * The q4m-compat endpoint: a small server that speaks the MySQL client/server protocol so that
 * unchanged legacy Q4M clients — PHP (PDO, mysqli), Perl DBI, the {@code mariadb} command line,
 * Connector/J — keep working against queue tables emulated on InnoDB. Each client connection gets
 * its own {@code jdbc:q4m:} shim connection ({@link org.q4mbridge.q4m.jdbc.Q4mDriver}), which gives
 * the Q4M functions and queue-table reads their meaning; this package only translates the protocol.
 *
 * <p>Entry points: {@link org.q4mbridge.q4m.server.Q4mServer} (lifecycle), {@link
 * org.q4mbridge.q4m.server.EndpointOptions} (configuration), {@link
 * org.q4mbridge.q4m.server.EndpointStats} (metrics hook) and {@link
 * org.q4mbridge.q4m.server.Q4mServerMain} (stand-alone launcher).
 */
package org.q4mbridge.q4m.server;

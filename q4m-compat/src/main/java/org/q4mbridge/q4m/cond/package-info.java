/**
 * Q4M's conditional-subscription language ({@code queue_wait('table:condition')}): a whitelist
 * parser, an evaluator with Q4M's exact semantics and a translation to an equivalent SQL predicate.
 * Entry point: {@link org.q4mbridge.q4m.cond.Condition}.
 */
package org.q4mbridge.q4m.cond;

package org.q4mbridge.q4m.convert;

import java.time.Duration;
import org.q4mbridge.q4m.TableRef;

/**
 * What a completed conversion did.
 *
 * @param table the converted table, now an InnoDB emulated queue
 * @param oldTable the original table under its new name ({@code <t>__q4m_old})
 * @param oldKept false when the original was dropped ({@code keepOld = false})
 * @param rowsBefore rows in the source when the run started
 * @param rowsCopied rows copied before the swap (the bulk copy plus the final copy under the lock);
 *     more than {@code rowsBefore} when producers inserted during the copy
 * @param rowsCaughtUp rows copied from the original after the swap; normally 0 (see {@link
 *     TableConverter} for when it is not)
 * @param duration wall time of the run
 */
public record ConversionResult(
    TableRef table,
    TableRef oldTable,
    boolean oldKept,
    long rowsBefore,
    long rowsCopied,
    long rowsCaughtUp,
    Duration duration) {}

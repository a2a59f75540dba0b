package org.q4mbridge.q4m.emulated;

import java.time.Duration;
import java.util.List;
import org.q4mbridge.q4m.Claim;
import org.q4mbridge.q4m.ConnectionFactory;
import org.q4mbridge.q4m.DeadLetterTable;
import org.q4mbridge.q4m.EpochTracker;
import org.q4mbridge.q4m.QueueRow;
import org.q4mbridge.q4m.Subscription;
import org.q4mbridge.q4m.TableRef;

/**
 * A consumer process for the crash test: claims up to N rows, prints {@code CLAIMED id,id,...} and
 * then blocks until it is killed. Arguments: jdbc-url user password schema table n.
 */
public final class ClaimAndHang {
  private ClaimAndHang() {}

  public static void main(String[] args) throws Exception {
    TableRef t = new TableRef(args[3], args[4]);
    EpochTracker.Store store = EpochTracker.Store.inMemory();
    EmulatedQueueSource source =
        EmulatedQueueSource.open(
            new EmulatedQueueSource.Options(
                ConnectionFactory.jdbc(args[0], args[1], args[2], null),
                List.of(new Subscription(t, null)),
                null,
                new DeadLetterTable(new TableRef(args[3], "q4m_dead_letter")),
                EpochTracker.registry(store),
                null,
                null,
                null));
    Claim claim = source.poll(Integer.parseInt(args[5]), Duration.ofSeconds(10));
    StringBuilder ids = new StringBuilder();
    for (QueueRow r : claim.rows()) {
      ids.append(ids.length() == 0 ? "" : ",").append(r.rowId());
    }
    System.out.println("CLAIMED " + ids);
    System.out.flush();
    // Hold the claim until the parent kills this process.
    System.in.read();
  }
}

package dev.barista.apps.state;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The control plane's memory in an embedded H2 database: apps (current revision, desired state, API
 * key hash), every revision's declaration, replicas and events. A restarted control plane reads its
 * apps back from here.
 */
public final class StateStore implements AutoCloseable {
  private final Connection db;
  private boolean closed;

  public StateStore(Path dir) {
    try {
      java.nio.file.Files.createDirectories(dir);
      db = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("apps").toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE;TRACE_LEVEL_FILE=0", "sa", "");
      try (Statement s = db.createStatement()) {
        s.execute("create table if not exists apps(name varchar(63) primary key, revision int not null,"
            + " desired varchar(16) not null, spec clob not null, api_key_hash varchar(64), created timestamp, updated timestamp)");
        s.execute("create table if not exists revisions(app varchar(63), revision int, spec clob not null,"
            + " created timestamp, primary key(app, revision))");
        s.execute("create table if not exists replicas(id varchar(80) primary key, app varchar(63) not null,"
            + " revision int, port int, pid bigint, state varchar(16), log varchar(1024), updated timestamp)");
        s.execute("create table if not exists events(id bigint auto_increment primary key, app varchar(63),"
            + " at timestamp, kind varchar(32), message varchar(4000))");
      }
    } catch (SQLException | java.io.IOException e) {
      throw new StateException("cannot open the apps database in " + dir + ": " + e.getMessage(), e);
    }
  }

  /** One app as stored. */
  public record AppRow(String name, int revision, String desired, String spec, String apiKeyHash) {}

  /** One replica as last recorded. */
  public record ReplicaRow(String id, String app, int revision, int port, long pid, String state, String log) {}

  /** One event. */
  public record EventRow(Instant at, String app, String kind, String message) {}

  /** Stores a new revision of {@code name} (or its first) and returns its number. */
  public synchronized int saveRevision(String name, String spec, String apiKeyHash) {
    return tx(() -> {
      Optional<AppRow> prev = app(name);
      int revision = prev.map(r -> r.revision() + 1).orElse(1);
      Timestamp now = Timestamp.from(Instant.now());
      update("insert into revisions(app, revision, spec, created) values (?,?,?,?)", name, revision, spec, now);
      if (prev.isPresent())
        update("update apps set revision=?, desired='RUNNING', spec=?, api_key_hash=coalesce(?, api_key_hash), updated=? where name=?",
            revision, spec, apiKeyHash, now, name);
      else
        update("insert into apps(name, revision, desired, spec, api_key_hash, created, updated) values (?,?,?,?,?,?,?)",
            name, revision, "RUNNING", spec, apiKeyHash, now, now);
      return revision;
    });
  }

  public synchronized void setDesired(String name, String desired) {
    update("update apps set desired=?, updated=? where name=?", desired, Timestamp.from(Instant.now()), name);
  }

  public synchronized void setApiKeyHash(String name, String hash) {
    update("update apps set api_key_hash=?, updated=? where name=?", hash, Timestamp.from(Instant.now()), name);
  }

  public synchronized void deleteApp(String name) {
    tx(() -> {
      for (String table : List.of("apps where name", "revisions where app", "replicas where app", "events where app"))
        update("delete from " + table + "=?", name);
      return null;
    });
  }

  public synchronized Optional<AppRow> app(String name) {
    List<AppRow> rows = apps("where name=?", name);
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
  }

  public synchronized List<AppRow> apps() {
    return apps("order by name");
  }

  public synchronized List<Integer> revisions(String app) {
    List<Integer> out = new ArrayList<>();
    query("select revision from revisions where app=? order by revision", rs -> out.add(rs.getInt(1)), app);
    return out;
  }

  public synchronized void saveReplica(ReplicaRow r) {
    update("merge into replicas(id, app, revision, port, pid, state, log, updated) key(id) values (?,?,?,?,?,?,?,?)",
        r.id(), r.app(), r.revision(), r.port(), r.pid(), r.state(), r.log(), Timestamp.from(Instant.now()));
  }

  public synchronized List<ReplicaRow> replicas(String app) {
    List<ReplicaRow> out = new ArrayList<>();
    query("select id, app, revision, port, pid, state, log from replicas where app=? order by updated", rs ->
        out.add(new ReplicaRow(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getInt(4), rs.getLong(5), rs.getString(6), rs.getString(7))), app);
    return out;
  }

  public synchronized void event(String app, String kind, String message) {
    update("insert into events(app, at, kind, message) values (?,?,?,?)", app, Timestamp.from(Instant.now()), kind,
        message.length() > 4000 ? message.substring(0, 4000) : message);
  }

  /** The latest {@code limit} events of an app, oldest first. */
  public synchronized List<EventRow> events(String app, int limit) {
    List<EventRow> out = new ArrayList<>();
    query("select at, app, kind, message from events where app=? order by id desc limit ?", rs ->
        out.add(0, new EventRow(rs.getTimestamp(1).toInstant(), rs.getString(2), rs.getString(3), rs.getString(4))), app, limit);
    return out;
  }

  @Override
  public synchronized void close() {
    closed = true;
    try {
      db.close();
    } catch (SQLException ignored) {
      // closing anyway
    }
  }

  private List<AppRow> apps(String where, Object... args) {
    List<AppRow> out = new ArrayList<>();
    query("select name, revision, desired, spec, api_key_hash from apps " + where, rs ->
        out.add(new AppRow(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getString(4), rs.getString(5))), args);
    return out;
  }

  private interface RowReader {
    void read(ResultSet rs) throws SQLException;
  }

  private interface Work<T> {
    T run() throws SQLException;
  }

  private void query(String sql, RowReader reader, Object... args) {
    try (PreparedStatement ps = prepare(sql, args); ResultSet rs = ps.executeQuery()) {
      while (rs.next()) reader.read(rs);
    } catch (SQLException e) {
      throw new StateException("apps database: " + e.getMessage(), e);
    }
  }

  private void update(String sql, Object... args) {
    if (closed) return; // late replica events while the control plane shuts down
    try (PreparedStatement ps = prepare(sql, args)) {
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new StateException("apps database: " + e.getMessage(), e);
    }
  }

  private <T> T tx(Work<T> work) {
    try {
      db.setAutoCommit(false);
      try {
        T result = work.run();
        db.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        db.rollback();
        throw e;
      } finally {
        db.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new StateException("apps database: " + e.getMessage(), e);
    }
  }

  private PreparedStatement prepare(String sql, Object... args) throws SQLException {
    PreparedStatement ps = db.prepareStatement(sql);
    for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
    return ps;
  }
}

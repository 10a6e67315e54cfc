package dev.barista.hub;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ContentCheckTest {
  // ids printed by `git hash-object`, and sha256sum of "hello\n"
  @Test
  void acceptsGitBlobIdsAndSha256() {
    byte[] hello = "hello\n".getBytes(StandardCharsets.US_ASCII);
    ContentCheck git = ContentCheck.forEtag("ce013625030ba8dba906f756967f9e9ca394464a", hello.length);
    git.update(hello, 0, hello.length);
    git.verify("hello.txt");
    ContentCheck empty = ContentCheck.forEtag("e69de29bb2d1d6434b8b29ae775ad8c2e48c5391", 0);
    empty.verify("empty.txt");
    ContentCheck sha = ContentCheck.forEtag("5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03", 6);
    sha.update(hello, 0, hello.length);
    sha.verify("hello.bin");
  }

  @Test
  void rejectsOtherContent() {
    byte[] other = "hellO\n".getBytes(StandardCharsets.US_ASCII);
    ContentCheck git = ContentCheck.forEtag("ce013625030ba8dba906f756967f9e9ca394464a", other.length);
    git.update(other, 0, other.length);
    var e = assertThrows(IntegrityException.class, () -> git.verify("hello.txt"));
    assertTrue(e.getMessage().startsWith("hello.txt: checksum mismatch"));
  }
}

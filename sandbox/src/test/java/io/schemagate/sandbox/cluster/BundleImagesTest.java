package io.schemagate.sandbox.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --bundle IMAGE=DIR[:DIR...]}: an image served from one folder, or from its layers. */
class BundleImagesTest {

  @Test
  void oneFolderIsServedAsItIs(@TempDir Path dir) throws Exception {
    Path v1 = Files.createDirectories(dir.resolve("v1"));
    BundleImages images = new BundleImages();
    images.add("registry.example.com/a:1=" + v1);

    assertThat(images.folder("registry.example.com/a:1", dir.resolve("pod"))).contains(v1);
    assertThat(dir.resolve("pod")).as("nothing copied").doesNotExist();
    assertThat(images.folder("registry.example.com/a:2", dir.resolve("pod"))).isEmpty();
  }

  /**
   * The image of a bundle built FROM another: the lower folder's files, the upper's added, and a
   * file of the same path (here schemagate.conf, and one in a subfolder) the upper's, as the
   * image's layers stack. The folders themselves are left as they are.
   */
  @Test
  void laterFoldersLieOverEarlierOnesAsAnImagesLayersDo(@TempDir Path dir) throws Exception {
    Path v1 = Files.createDirectories(dir.resolve("v1/sub"));
    v1 = v1.getParent();
    Files.writeString(v1.resolve("V1__a.sql"), "SELECT 1;\n");
    Files.writeString(v1.resolve("schemagate.conf"), "historyTable=v1\n");
    Files.writeString(v1.resolve("sub/R__view.sql"), "-- v1\n");
    Path v2 = Files.createDirectories(dir.resolve("v2/sub")).getParent();
    Files.writeString(v2.resolve("V2__b.sql"), "SELECT 2;\n");
    Files.writeString(v2.resolve("schemagate.conf"), "historyTable=v2\n");
    Files.writeString(v2.resolve("sub/R__view.sql"), "-- v2\n");
    BundleImages images = new BundleImages();
    images.add("registry.example.com/a:2=" + v1 + ":" + v2);
    assertThat(images.layers("registry.example.com/a:2")).contains(List.of(v1, v2));

    Path served = images.folder("registry.example.com/a:2", dir.resolve("pod/migrations")).get();

    assertThat(served).isEqualTo(dir.resolve("pod/migrations"));
    try (Stream<Path> files = Files.walk(served)) {
      assertThat(files.filter(Files::isRegularFile).map(f -> served.relativize(f).toString()))
          .containsExactlyInAnyOrder(
              "V1__a.sql", "V2__b.sql", "schemagate.conf", "sub/R__view.sql");
    }
    assertThat(served.resolve("V1__a.sql")).hasContent("SELECT 1;");
    assertThat(served.resolve("schemagate.conf")).hasContent("historyTable=v2");
    assertThat(served.resolve("sub/R__view.sql")).hasContent("-- v2");
    assertThat(v1.resolve("schemagate.conf")).hasContent("historyTable=v1");
  }

  @Test
  void theBuildersFormTakesTheLayersInOrder(@TempDir Path dir) throws Exception {
    Path lower = Files.createDirectories(dir.resolve("lower"));
    Path upper = Files.createDirectories(dir.resolve("upper"));
    Files.writeString(lower.resolve("V1__a.sql"), "SELECT 1;\n");
    Files.writeString(upper.resolve("V1__a.sql"), "SELECT 11;\n");
    BundleImages images = new BundleImages();
    images.add("a:1", lower, upper);

    Path served = images.folder("a:1", dir.resolve("pod")).get();

    assertThat(served.resolve("V1__a.sql")).hasContent("SELECT 11;");
  }

  @Test
  void aMissingOrEmptyFolderIsRefusedNamingIt(@TempDir Path dir) throws Exception {
    Path v1 = Files.createDirectories(dir.resolve("v1"));
    BundleImages images = new BundleImages();

    assertThatThrownBy(() -> images.add("a:2=" + v1 + ":" + dir.resolve("v2")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "--bundle a:2=" + v1 + ":" + dir.resolve("v2") + ": no folder " + dir.resolve("v2"));
    assertThatThrownBy(() -> images.add("a:2=" + v1 + "::" + v1))
        .hasMessage("--bundle a:2=" + v1 + "::" + v1 + ": an empty folder in DIR[:DIR...]");
    assertThatThrownBy(() -> images.add("a:2"))
        .hasMessage("--bundle takes IMAGE=DIR[:DIR...], got: a:2");
    assertThat(images.layers("a:2")).isEmpty();
  }
}

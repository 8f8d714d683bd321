import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.opensearch.analysis.common.CommonAnalysisPlugin;
import org.opensearch.common.logging.LogConfigurator;
import org.opensearch.common.settings.Settings;
import org.opensearch.env.Environment;
import org.opensearch.index.mapper.MapperExtrasPlugin;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.transport.Netty4Plugin;

/**
 * One OpenSearch node whose modules come from the classpath (Maven jars) rather than from a
 * distribution's modules/ folder. Every argument is a setting, "key=value"; path.home is required.
 * Logs go to stdout; the process stops the node on SIGTERM.
 */
public final class SearchNode extends Node {

    private SearchNode(final Environment environment) {
        super(
            environment,
            List.of(Netty4Plugin.class, CommonAnalysisPlugin.class, MapperExtrasPlugin.class),
            true
        );
    }

    public static void main(final String[] args) throws Exception {
        final Settings.Builder builder = Settings.builder();
        for (final String arg : args) {
            final int eq = arg.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("expected key=value, got: " + arg);
            }
            builder.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        final Settings settings = builder.build();
        final Path config = Path.of(settings.get("path.home"), "config");
        config.toFile().mkdirs();
        LogConfigurator.registerErrorListener();
        LogConfigurator.configureWithoutConfig(settings);
        final Environment environment = InternalSettingsPreparer.prepareEnvironment(
            settings, Map.of(), config, () -> settings.get("node.name", "shopfn")
        );
        final Node node = new SearchNode(environment);
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
                node.awaitClose(10, TimeUnit.SECONDS);
            } catch (final Exception e) {
                e.printStackTrace();
            } finally {
                stopped.countDown();
            }
        }));
        node.start();
        stopped.await();
    }
}

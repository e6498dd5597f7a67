package io.pressroom.testing.stack;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * {@link KafkaServer} as a process of its own, for tests that freeze or kill the broker without freezing themselves
 * (see {@link KafkaProcess}). Arguments: client port, controller port, log directory (kept, so a restart keeps topics
 * and offsets). Prints {@value #READY} when the broker serves clients; SIGTERM stops it cleanly.
 */
public final class KafkaServerMain {

    static final String READY = "Kafka ready on ";

    private KafkaServerMain() {
    }

    public static void main(String[] args) throws Exception {
        LocalStack.logToConsole();
        if (args.length != 3) {
            System.err.println("usage: KafkaServerMain <port> <controller port> <log dir>");
            System.exit(2);
        }
        KafkaServer kafka = new KafkaServer(Integer.parseInt(args[0]), Integer.parseInt(args[1]), Path.of(args[2]));
        Runtime.getRuntime().addShutdownHook(new Thread(kafka::stop, "kafka-shutdown"));
        try {
            kafka.start();
        } catch (RuntimeException e) {
            e.printStackTrace();
            System.exit(1);
        }
        System.out.println(READY + kafka.bootstrapServers());
        new CountDownLatch(1).await(); // until a signal runs the shutdown hook
    }
}

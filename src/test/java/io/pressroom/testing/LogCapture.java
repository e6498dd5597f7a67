package io.pressroom.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.jboss.logmanager.ExtHandler;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.LogContext;

/**
 * Keeps the application's log records, with the MDC each was logged with, while it is installed on the root logger.
 */
public final class LogCapture extends Handler implements AutoCloseable {

    /** One log line: who logged it, its formatted message, its MDC, and the record itself. */
    public record Line(String logger, String message, Map<String, String> mdc, ExtLogRecord record) {
    }

    private final List<Line> lines = new CopyOnWriteArrayList<>();

    private LogCapture() {
    }

    public static LogCapture install() {
        LogCapture capture = new LogCapture();
        Logger.getLogger("").addHandler(capture);
        return capture;
    }

    public List<Line> lines() {
        return List.copyOf(lines);
    }

    @Override
    public void publish(LogRecord record) {
        if (record instanceof ExtLogRecord ext) {
            // the MDC is the logging thread's (or Vert.x context's): copy it now
            lines.add(new Line(ext.getLoggerName(), ext.getFormattedMessage(), Map.copyOf(ext.getMdcCopy()), ext));
        }
    }

    /** The console handler Quarkus installed (behind its delayed or async wrappers): what it prints goes to the log. */
    public static Handler console() {
        List<Handler> handlers = new ArrayList<>(List.of(LogContext.getLogContext().getLogger("").getHandlers()));
        while (!handlers.isEmpty()) {
            Handler handler = handlers.remove(0);
            if (handler.getClass().getSimpleName().contains("Console") && handler.getFormatter() != null) {
                return handler;
            }
            if (handler instanceof ExtHandler ext) {
                handlers.addAll(List.of(ext.getHandlers()));
            }
        }
        throw new AssertionError("no console handler");
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        Logger.getLogger("").removeHandler(this);
    }
}

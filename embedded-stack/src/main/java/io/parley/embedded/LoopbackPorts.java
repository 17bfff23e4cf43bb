package io.parley.embedded;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Ports on 127.0.0.1 for the embedded servers: a free one on request, or a check that the configured one is free. */
public final class LoopbackPorts {

    private LoopbackPorts() {
    }

    /** A free loopback port when {@code configured == 0}; otherwise checks the configured port is free. */
    public static int choose(int configured, String property) {
        if (configured == 0) {
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(false);
                s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                return s.getLocalPort();
            } catch (IOException e) {
                throw new EmbeddedStackException("Cannot find a free loopback port: " + e, e);
            }
        }
        if (!isFree(configured)) {
            throw new EmbeddedStackException("Port " + configured + " (" + property + ") on 127.0.0.1 is already in use");
        }
        return configured;
    }

    public static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}

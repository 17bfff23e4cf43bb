package io.parley.bench.scenario;

import io.parley.bench.rest.PlatformClient.User;
import io.parley.bench.stomp.UserSession;

/** One virtual user's session; {@code index} is its place in the order sessions were opened. */
final class Conn {
    final User user;
    final int index;
    final UserSession session;

    Conn(User user, int index, UserSession session) {
        this.user = user;
        this.index = index;
        this.session = session;
    }
}

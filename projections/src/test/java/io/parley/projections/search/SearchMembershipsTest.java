package io.parley.projections.search;

import io.parley.projections.search.SearchMemberships.Interval;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SearchMembershipsTest {

    @Test
    void onlyTheLatestIntervalOfAConversationIsSearchedAndReplaysChangeNothing() {
        Document membership = new Document("_id", "u");
        assertThat(SearchMemberships.open(membership, "g", 0)).isTrue();
        assertThat(SearchMemberships.open(membership, "d", 0)).isTrue();
        assertThat(SearchMemberships.close(membership, "g", 3)).isTrue();
        assertThat(SearchMemberships.open(membership, "g", 5)).isTrue();
        // the same events again
        assertThat(SearchMemberships.open(membership, "g", 0)).isFalse();
        assertThat(SearchMemberships.close(membership, "g", 3)).isFalse();
        assertThat(SearchMemberships.open(membership, "g", 5)).isFalse();

        assertThat(SearchMemberships.intervals(membership)).containsExactly(new Interval("g", 0, 3L),
                new Interval("d", 0, null), new Interval("g", 5, null));
        assertThat(SearchMemberships.latest(SearchMemberships.intervals(membership)))
                .containsExactlyInAnyOrder(new Interval("g", 5, null), new Interval("d", 0, null));

        assertThat(SearchMemberships.close(membership, "g", 8)).isTrue();
        assertThat(SearchMemberships.latest(SearchMemberships.intervals(membership)))
                .containsExactlyInAnyOrder(new Interval("g", 5, 8L), new Interval("d", 0, null));
    }

    @Test
    void messagesDeletedForTheUserAreListedOnceThroughReplays() {
        Document membership = new Document("_id", "u");
        assertThat(SearchMemberships.hidden(membership)).isEmpty();
        assertThat(SearchMemberships.hidden(null)).isEmpty();
        assertThat(SearchMemberships.hide(membership, "g:3")).isTrue();
        assertThat(SearchMemberships.hide(membership, "g:5")).isTrue();
        assertThat(SearchMemberships.hide(membership, "g:3")).as("the same event again").isFalse();
        assertThat(SearchMemberships.hidden(membership)).containsExactly("g:3", "g:5");
    }
}

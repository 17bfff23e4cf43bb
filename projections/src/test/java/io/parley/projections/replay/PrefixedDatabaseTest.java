package io.parley.projections.replay;

import com.mongodb.MongoNamespace;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.RenameCollectionOptions;
import io.parley.projections.conversation.ConversationCollections;
import io.parley.projections.support.InMemoryMongo;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PrefixedDatabaseTest {

    @RegisterExtension
    static final InMemoryMongo mongo = new InMemoryMongo();

    @Test
    void aRebuildWritesBesideTheLiveCollectionsAndIsSwappedInByRenamesMoreThanOnce() {
        MongoDatabase live = mongo.emptyDatabase("prefixed");
        live.getCollection("views").insertOne(new Document("_id", "a").append("v", "live"));
        for (int round = 1; round <= 3; round++) {
            MongoDatabase rebuild = PrefixedDatabase.of(live, "rebuild_x__");
            rebuild.withWriteConcern(com.mongodb.WriteConcern.ACKNOWLEDGED).getCollection("views")
                    .insertOne(new Document("_id", "a").append("v", "rebuilt " + round));
            assertThat(live.getCollection("views").find().first().getString("v")).isNotEqualTo("rebuilt " + round);
            assertThat(live.listCollectionNames().into(new ArrayList<>())).contains("rebuild_x__views");

            live.getCollection("rebuild_x__views").renameCollection(new MongoNamespace(live.getName(), "views"),
                    new RenameCollectionOptions().dropTarget(true));

            assertThat(live.getCollection("views").find().first().getString("v")).isEqualTo("rebuilt " + round);
            assertThat(live.listCollectionNames().into(new ArrayList<>())).doesNotContain("rebuild_x__views");
        }
        live.getCollection("views").drop(); // a renamed collection can still be dropped (not so across databases)
        assertThat(live.listCollectionNames().into(new ArrayList<>())).doesNotContain("views");
    }

    @Test
    void typedCollectionsOfAProjectionLandUnderThePrefixAndWholeDatabaseCallsAreRefused() {
        MongoDatabase live = mongo.emptyDatabase("typed");
        MongoDatabase rebuild = PrefixedDatabase.of(live, "rebuild_c__");
        new ConversationCollections(rebuild); // resolves its collections through withCodecRegistry + getCollection
        rebuild.getCollection(ConversationCollections.SUMMARIES).insertOne(new Document("_id", "c"));
        assertThat(live.listCollectionNames().into(new ArrayList<>()))
                .containsExactly("rebuild_c__" + ConversationCollections.SUMMARIES);
        assertThatThrownBy(rebuild::drop).isInstanceOf(UnsupportedOperationException.class);
    }
}

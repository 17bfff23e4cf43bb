package io.parley.projections.report;

import com.mongodb.client.MongoDatabase;
import io.parley.projections.replay.Rebuildable;
import org.springframework.stereotype.Component;

import java.util.Set;

/** Rebuilds the reports list into another database (README, Replay). */
@Component
class ReportViewsRebuild implements Rebuildable {

    @Override
    public String processingGroup() {
        return ReportProjection.PROCESSING_GROUP;
    }

    @Override
    public Rebuild start(MongoDatabase target) {
        ReportProjection projection = new ReportProjection(target);
        return new Rebuild() {
            @Override
            public Object eventHandler() {
                return projection;
            }

            @Override
            public Set<String> replacedCollections() {
                return Set.of(ReportCodec.COLLECTION);
            }
        };
    }
}

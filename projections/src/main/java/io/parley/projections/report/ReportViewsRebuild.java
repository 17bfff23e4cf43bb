package io.parley.projections.report;

import io.parley.projections.replay.CollectionRebuild;
import org.springframework.stereotype.Component;

import java.util.Set;

/** Rebuilds the reports list (README, Replay). */
@Component
class ReportViewsRebuild extends CollectionRebuild {

    ReportViewsRebuild() {
        super(ReportProjection.PROCESSING_GROUP, ReportProjection::new, Set.of(ReportCodec.COLLECTION));
    }
}

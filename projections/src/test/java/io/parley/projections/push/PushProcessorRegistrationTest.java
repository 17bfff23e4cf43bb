package io.parley.projections.push;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/**
 * Push off means no push processor: Axon makes an event processor of every bean carrying
 * {@code @ProcessingGroup("push")} handlers, so without the bean there is none paying per event.
 */
class PushProcessorRegistrationTest {

    private final ApplicationContextRunner contexts = new ApplicationContextRunner()
            .withBean(PushDirectory.class, () -> mock(PushDirectory.class))
            .withBean(PushOutbox.class, () -> mock(PushOutbox.class))
            .withBean(FcmClient.class, () -> mock(FcmClient.class))
            .withBean(Presence.class, () -> user -> false)
            .withBean(PushProperties.class, () -> mock(PushProperties.class))
            .withBean(Clock.class, Clock::systemUTC)
            .withUserConfiguration(PushProcessor.class);

    @Test
    void withoutCredentialsThereIsNoPushProcessor() {
        contexts.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(PushProcessor.class));
        contexts.withPropertyValues("chat.push.credentials-path=")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(PushProcessor.class));
    }

    @Test
    void credentialsMakeItAProcessor() {
        contexts.withPropertyValues("chat.push.credentials-path=/etc/parley/firebase.json")
                .run(context -> assertThat(context).hasSingleBean(PushProcessor.class));
    }
}

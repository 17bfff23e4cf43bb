package io.parley.embedded.spring;

import io.parley.embedded.stack.ChatStackProperties;
import io.parley.embedded.stack.EmbeddedStack;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.Ordered;
import org.springframework.core.PriorityOrdered;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * Starts the embedded stack as early as possible: after the bean definitions are read and before any singleton
 * (or the web server) is created, so PostgreSQL and Elasticsearch boot in parallel with the whole Spring context.
 * Registers the {@link EmbeddedStack} as the singleton {@value #BEAN_NAME}, destroyed with the context. On an
 * external PostgreSQL, which other nodes may share, it first waits for the {@link StartupLock}.
 */
public class EmbeddedStackStarter implements BeanFactoryPostProcessor, EnvironmentAware, PriorityOrdered {

    public static final String BEAN_NAME = "embeddedStack";
    public static final String STARTUP_LOCK_BEAN_NAME = "startupLock";

    private Environment environment;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) throws BeansException {
        if (beanFactory.containsSingleton(BEAN_NAME)) {
            return;
        }
        ChatStackProperties properties = Binder.get(environment).bindOrCreate("chat", ChatStackProperties.class);
        EmbeddedStack stack = new EmbeddedStack(properties);
        try {
            stack.begin();
        } catch (RuntimeException e) {
            stack.stop();
            throw e;
        }
        beanFactory.registerSingleton(BEAN_NAME, stack);
        if (beanFactory instanceof DefaultSingletonBeanRegistry registry) {
            registry.registerDisposableBean(BEAN_NAME, stack);
        }
        if (StringUtils.hasText(properties.postgres().url())) {
            // a PostgreSQL other nodes may share: their start-ups (table creation) one after the other
            StartupLock lock = StartupLock.acquire(properties.postgres().url(), properties.postgres().username(),
                    properties.postgres().password());
            beanFactory.registerSingleton(STARTUP_LOCK_BEAN_NAME, lock);
            if (beanFactory instanceof DefaultSingletonBeanRegistry registry) {
                registry.registerDisposableBean(STARTUP_LOCK_BEAN_NAME, lock);
            }
        }
    }
}

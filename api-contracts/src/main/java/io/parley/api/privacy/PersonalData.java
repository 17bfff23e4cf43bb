package io.parley.api.privacy;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A String property of an event that is personal data of its {@link DataSubject}: the event serializer stores it
 * encrypted with that account's data key ({@link PersonalDataModule}), so destroying the key (account deletion)
 * erases it from every stored copy at once while the event itself stays (README, Account deletion). A property
 * of a nested value (a {@code MediaRef}'s file name) belongs to the subject of the nearest enclosing event.
 * Domain code never sees the ciphertext: it reads and writes plain Strings.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER})
public @interface PersonalData {
}

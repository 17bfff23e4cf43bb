package io.parley.api.privacy;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.NopAnnotationIntrospector;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Crypto-shredding in the event serializer, not in domain code: registered on the ObjectMapper of Axon's event
 * serializer only (never on the web's), it writes every {@link PersonalData} String as
 * {@code pd1:<accountId>:<ciphertext>} with the key of the nearest enclosing {@link DataSubject}, and reads it back
 * decrypted, or as {@link PersonalDataCipher#ERASED} once that key is destroyed. Everything that reads events
 * through the serializer (aggregates, projections, replays, the audit's typed payloads) so sees erased content by
 * construction, while the stored bytes, which the audit hash chain covers, never change.
 */
public final class PersonalDataModule extends SimpleModule {

    private final transient PersonalDataCipher cipher;

    public PersonalDataModule(PersonalDataCipher cipher) {
        super("parley-personal-data");
        this.cipher = cipher;
    }

    @Override
    public void setupModule(SetupContext context) {
        super.setupModule(context);
        context.insertAnnotationIntrospector(new Introspector(new Encrypting(cipher), new Decrypting(cipher)));
    }

    /**
     * A copy of a stored payload's JSON tree with every encrypted value decrypted (or erased): how the audit shows
     * stored JSON. A value that fails its integrity check stays as stored (the audit shows the store as it is).
     */
    public static JsonNode readable(JsonNode stored, PersonalDataCipher cipher) {
        if (stored == null) {
            return null;
        }
        JsonNode copy = stored.deepCopy();
        return decryptIn(copy, cipher);
    }

    private static JsonNode decryptIn(JsonNode node, PersonalDataCipher cipher) {
        if (node instanceof TextNode text && PersonalDataCipher.isEncrypted(text.textValue())) {
            try {
                return TextNode.valueOf(cipher.decrypt(text.textValue()));
            } catch (PersonalDataException altered) {
                return node;
            }
        }
        if (node instanceof ObjectNode object) {
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                field.setValue(decryptIn(field.getValue(), cipher));
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                array.set(i, decryptIn(array.get(i), cipher));
            }
        }
        return node;
    }

    private static final class Introspector extends NopAnnotationIntrospector {
        private final Encrypting serializer;
        private final Decrypting deserializer;

        Introspector(Encrypting serializer, Decrypting deserializer) {
            this.serializer = serializer;
            this.deserializer = deserializer;
        }

        @Override
        public Object findSerializer(Annotated a) {
            return a.hasAnnotation(PersonalData.class) ? serializer : null;
        }

        @Override
        public Object findDeserializer(Annotated a) {
            return a.hasAnnotation(PersonalData.class) ? deserializer : null;
        }
    }

    private static final class Encrypting extends StdSerializer<String> {
        private final transient PersonalDataCipher cipher;

        Encrypting(PersonalDataCipher cipher) {
            super(String.class);
            this.cipher = cipher;
        }

        @Override
        public void serialize(String value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeString(cipher.encrypt(subject(gen), value));
        }

        /** The subject of the nearest enclosing object that names one: the event itself, or the event around a value. */
        private static String subject(JsonGenerator gen) {
            for (JsonStreamContext context = gen.getOutputContext(); context != null; context = context.getParent()) {
                Object bean = context.getCurrentValue();
                if (bean != null) {
                    Optional<Function<Object, String>> accessor = SUBJECTS.get(bean.getClass());
                    if (accessor.isPresent()) {
                        return accessor.get().apply(bean);
                    }
                }
            }
            throw new PersonalDataException("personal data without a @DataSubject around it: " + describe(gen));
        }

        private static String describe(JsonGenerator gen) {
            JsonStreamContext context = gen.getOutputContext();
            Object bean = context.getCurrentValue();
            return (bean == null ? "?" : bean.getClass().getName()) + "." + context.getCurrentName();
        }
    }

    private static final class Decrypting extends StdDeserializer<String> {
        private final transient PersonalDataCipher cipher;

        Decrypting(PersonalDataCipher cipher) {
            super(String.class);
            this.cipher = cipher;
        }

        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() != JsonToken.VALUE_STRING) {
                return (String) ctxt.handleUnexpectedToken(String.class, p);
            }
            return cipher.decrypt(p.getText());
        }
    }

    /** Per class: how to read its {@link DataSubject} property, when it has one. */
    private static final ClassValue<Optional<Function<Object, String>>> SUBJECTS = new ClassValue<>() {
        @Override
        protected Optional<Function<Object, String>> computeValue(Class<?> type) {
            if (type.isRecord()) {
                for (RecordComponent component : type.getRecordComponents()) {
                    if (component.isAnnotationPresent(DataSubject.class)) {
                        return Optional.of(reader(component.getAccessor()));
                    }
                }
                return Optional.empty();
            }
            for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
                for (Field field : c.getDeclaredFields()) {
                    if (field.isAnnotationPresent(DataSubject.class)) {
                        field.setAccessible(true);
                        return Optional.of(bean -> {
                            try {
                                return (String) field.get(bean);
                            } catch (IllegalAccessException e) {
                                throw new PersonalDataException("cannot read the data subject of " + type.getName(), e);
                            }
                        });
                    }
                }
            }
            return Optional.empty();
        }

        private Function<Object, String> reader(Method accessor) {
            accessor.setAccessible(true);
            return bean -> {
                try {
                    return (String) accessor.invoke(bean);
                } catch (IllegalAccessException | InvocationTargetException e) {
                    throw new PersonalDataException("cannot read the data subject of " + bean.getClass().getName(), e);
                }
            };
        }
    };
}

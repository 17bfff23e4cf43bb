package io.parley.api.privacy;

/** Personal data that cannot be encrypted or decrypted; the message never holds the data itself. */
public class PersonalDataException extends RuntimeException {
    public PersonalDataException(String message) {
        super(message);
    }

    public PersonalDataException(String message, Throwable cause) {
        super(message, cause);
    }
}

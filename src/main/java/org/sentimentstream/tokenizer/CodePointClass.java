package org.sentimentstream.tokenizer;

/**
 * The character classes of the tokenizer specification (docs/TOKENIZER.md, section 2), computed from
 * the Unicode general category of a code point plus a few explicit ranges. {@link #DIGIT} is the
 * subset of {@link #WORD} with general category {@code Nd}.
 */
enum CodePointClass {
    IGNORED,
    SPACE,
    SINGLE,
    WORD,
    DIGIT,
    APOSTROPHE,
    SYMBOL;

    /** True for WORD and its subset DIGIT. */
    boolean isWord() {
        return this == WORD || this == DIGIT;
    }

    /** The class of a code point; the first matching row of the specification's table wins. */
    static CodePointClass of(int codePoint) {
        int type = Character.getType(codePoint);
        if (type == Character.FORMAT || isVariationSelector(codePoint) || isSkinToneModifier(codePoint)) {
            return IGNORED;
        }
        if (type == Character.SPACE_SEPARATOR
                || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR
                || type == Character.CONTROL) {
            return SPACE;
        }
        if (isSingle(codePoint)) {
            return SINGLE;
        }
        if (type == Character.DECIMAL_DIGIT_NUMBER) {
            return DIGIT;
        }
        if (isWordCategory(type) || codePoint == '_') {
            return WORD;
        }
        if (codePoint == '\'' || codePoint == '\u2019') {
            return APOSTROPHE;
        }
        return SYMBOL;
    }

    private static boolean isVariationSelector(int cp) {
        return (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xE0100 && cp <= 0xE01EF);
    }

    private static boolean isSkinToneModifier(int cp) {
        return cp >= 0x1F3FB && cp <= 0x1F3FF;
    }

    private static boolean isSingle(int cp) {
        return (cp >= 0x3040 && cp <= 0x30FF)
                || (cp >= 0x3400 && cp <= 0x4DBF)
                || (cp >= 0x4E00 && cp <= 0x9FFF)
                || (cp >= 0xF900 && cp <= 0xFAFF)
                || (cp >= 0x20000 && cp <= 0x2FA1F);
    }

    private static boolean isWordCategory(int type) {
        switch (type) {
            case Character.UPPERCASE_LETTER:
            case Character.LOWERCASE_LETTER:
            case Character.TITLECASE_LETTER:
            case Character.MODIFIER_LETTER:
            case Character.OTHER_LETTER:
            case Character.NON_SPACING_MARK:
            case Character.COMBINING_SPACING_MARK:
            case Character.ENCLOSING_MARK:
                return true;
            default:
                return false;
        }
    }
}

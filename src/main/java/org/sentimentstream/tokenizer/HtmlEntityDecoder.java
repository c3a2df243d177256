package org.sentimentstream.tokenizer;

/**
 * Step 2 of the tokenizer specification: decodes the listed HTML entities in one left-to-right pass
 * (no recursive decoding). Named entities are case-sensitive; numeric references are decoded only
 * when they name a Unicode scalar value (1..0x10FFFF, not a surrogate); anything else is left as it is.
 */
final class HtmlEntityDecoder {

    private static final String[] NAMED = {"&amp;", "&lt;", "&gt;", "&quot;", "&apos;", "&nbsp;"};
    private static final String[] REPLACEMENTS = {"&", "<", ">", "\"", "'", "\u00A0"};
    private static final int MAX_DECIMAL_DIGITS = 7;
    private static final int MAX_HEX_DIGITS = 6;

    private HtmlEntityDecoder() {}

    static String decode(String text) {
        int first = text.indexOf('&');
        if (first < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        out.append(text, 0, first);
        int i = first;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c != '&') {
                out.append(c);
                i++;
                continue;
            }
            int consumed = decodeAt(text, i, out);
            if (consumed == 0) {
                out.append('&');
                i++;
            } else {
                i += consumed;
            }
        }
        return out.toString();
    }

    /** Appends the decoded entity starting at {@code at} and returns its length, or 0 when there is none. */
    private static int decodeAt(String text, int at, StringBuilder out) {
        for (int k = 0; k < NAMED.length; k++) {
            if (text.startsWith(NAMED[k], at)) {
                out.append(REPLACEMENTS[k]);
                return NAMED[k].length();
            }
        }
        if (!text.startsWith("&#", at)) {
            return 0;
        }
        int start = at + 2;
        boolean hex = start < text.length() && (text.charAt(start) == 'x' || text.charAt(start) == 'X');
        int radix = hex ? 16 : 10;
        int maxDigits = hex ? MAX_HEX_DIGITS : MAX_DECIMAL_DIGITS;
        int digitsStart = hex ? start + 1 : start;
        int end = digitsStart;
        while (end < text.length() && end - digitsStart < maxDigits && isAsciiDigit(text.charAt(end), radix)) {
            end++;
        }
        if (end == digitsStart || end >= text.length() || text.charAt(end) != ';') {
            return 0;
        }
        int value = Integer.parseInt(text, digitsStart, end, radix);
        if (value < 1
                || value > Character.MAX_CODE_POINT
                || (value >= Character.MIN_SURROGATE && value <= Character.MAX_SURROGATE)) {
            return 0;
        }
        out.appendCodePoint(value);
        return end + 1 - at;
    }

    private static boolean isAsciiDigit(char c, int radix) {
        if (c >= '0' && c <= '9') {
            return true;
        }
        return radix == 16 && ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'));
    }
}

package org.sentimentstream.registry;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * The body of an HTTP answer, read up to a cap: beyond it, reading stops (the rest is never buffered)
 * and the body is marked as cut.
 *
 * @param bytes the body, or its first {@code cap} bytes
 * @param cut   whether the answer was longer than the cap
 */
record CappedBody(byte[] bytes, boolean cut) {

    /** A handler that reads at most {@code cap} bytes of each answer. */
    static HttpResponse.BodyHandler<CappedBody> handler(int cap) {
        return info -> new Subscriber(cap);
    }

    private static final class Subscriber implements HttpResponse.BodySubscriber<CappedBody> {

        private final int cap;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final CompletableFuture<CappedBody> result = new CompletableFuture<>();
        private Flow.Subscription subscription;

        Subscriber(int cap) {
            this.cap = cap;
        }

        @Override
        public CompletionStage<CappedBody> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            if (result.isDone()) {
                return;
            }
            for (ByteBuffer item : items) {
                int room = cap - out.size();
                if (item.remaining() > room) {
                    byte[] part = new byte[room];
                    item.get(part);
                    out.writeBytes(part);
                    subscription.cancel();
                    result.complete(new CappedBody(out.toByteArray(), true));
                    return;
                }
                byte[] chunk = new byte[item.remaining()];
                item.get(chunk);
                out.writeBytes(chunk);
            }
        }

        @Override
        public void onError(Throwable throwable) {
            result.completeExceptionally(throwable);
        }

        @Override
        public void onComplete() {
            result.complete(new CappedBody(out.toByteArray(), false));
        }
    }
}

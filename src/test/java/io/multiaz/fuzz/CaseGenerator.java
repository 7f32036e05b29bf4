package io.multiaz.fuzz;

import java.util.List;
import java.util.Random;

/**
 * The cases of a {@link FuzzTarget}: case {@code n} of seed {@code s} is a pure function of (s, n),
 * so any case of any run can be replayed alone. A case is an action of the target (uniformly), a
 * call of it from the model ({@link RequestGenerator}), no {@link Mutation} (20 %), one (50 %), two
 * (20 %) or three (10 %), sent as a signed POST (85 %) or GET. Stateless.
 */
public final class CaseGenerator {
    private final List<String> actions;
    private final RequestGenerator generator;

    public CaseGenerator(FuzzTarget target) {
        this.actions = target.sortedActions();
        this.generator = new RequestGenerator(target.model(), target.hints());
    }

    /** Case {@code n} of {@code seed}. */
    public FuzzRequest request(long seed, int n) {
        Random r = new Random(seed * 1_000_003L + n);
        FuzzRequest req = generator.generate(actions.get(r.nextInt(actions.size())), r);
        int dice = r.nextInt(100);
        int mutations = dice < 20 ? 0 : dice < 70 ? 1 : dice < 90 ? 2 : 3;
        for (int i = 0; i < mutations; i++) {
            req = Mutation.values()[r.nextInt(Mutation.values().length)].apply(req, r);
        }
        return req.viaGet(r.nextInt(100) < 15);
    }
}

package io.vigil.rules;

import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * One event's inputs for one entity of one {@link KeyFamily}: one {@link RuleInput} for each rule
 * of the family that the event concerns. The evaluator is keyed by {@link #key()}, so an event
 * crosses to it once per entity, however many rules judge that entity, and all of them are
 * judged in one call. Serialized by {@link EntityInputsSerializer}.
 */
@TypeInfo(EntityInputsTypeInfo.Factory.class)
public final class EntityInputs {
    public KeyFamily family;
    public String entity;
    /** In rule order; every input's entity is {@link #entity}. */
    public RuleInput[] inputs;
    private transient String key;

    public EntityInputs() {}

    public EntityInputs(KeyFamily family, String entity, RuleInput[] inputs) {
        this.family = family;
        this.entity = entity;
        this.inputs = inputs;
    }

    /** A single input: a pattern match, a test's record. */
    public static EntityInputs of(KeyFamily family, RuleInput in) {
        return new EntityInputs(family, in.entity, new RuleInput[] {in});
    }

    /** The evaluator's key: the family, then the entity. */
    public String key() {
        if (key == null) {
            key = key(family, entity);
        }
        return key;
    }

    static String key(KeyFamily family, String entity) {
        return (char) ('0' + family.ordinal()) + entity;
    }

    /** The entity of an evaluator key. */
    static String entityOf(String key) {
        return key.substring(1);
    }
}

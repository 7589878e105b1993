package io.tinyalloc.sys;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinyalloc.sys.testing.FaultInjectingMapper;

/** With no rules set, the fault-injecting mapper must behave exactly like the one it wraps. */
class FaultInjectingMapperContractTest extends MapperContract {

    private final FaultInjectingMapper mapper = new FaultInjectingMapper(Mapper.system());

    @Override
    Mapper mapper() {
        return mapper;
    }

    /** Without rules, every call of the contract went through: nothing was injected. */
    @org.junit.jupiter.api.AfterEach
    void shouldHaveInjectedNothing() {
        assertThat(mapper.injectedFailures()).isZero();
    }
}

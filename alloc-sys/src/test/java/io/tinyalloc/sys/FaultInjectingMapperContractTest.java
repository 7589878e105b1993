package io.tinyalloc.sys;

import io.tinyalloc.sys.testing.FaultInjectingMapper;

/** With no rules set, the fault-injecting mapper must behave exactly like the one it wraps. */
class FaultInjectingMapperContractTest extends MapperContract {

    private final FaultInjectingMapper mapper = new FaultInjectingMapper(Mapper.system());

    @Override
    Mapper mapper() {
        return mapper;
    }
}

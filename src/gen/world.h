/* world.h — kept only because tests/unit/test_match.c includes it: the name
 * tables it reads are declared in gen.h (the rest of the world, in
 * internal.h).  Remove once that include says gen/gen.h. */
#ifndef RP_GEN_WORLD_H
#define RP_GEN_WORLD_H

#include "gen/gen.h"

#endif

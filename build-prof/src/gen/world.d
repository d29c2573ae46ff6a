build-prof/src/gen/world.o: src/gen/world.c src/gen/world.h
src/gen/world.h:

build-prof/src/analytics/cluster.o: src/analytics/cluster.c \
 src/analytics/cluster.h src/core/error.h
src/analytics/cluster.h:
src/core/error.h:

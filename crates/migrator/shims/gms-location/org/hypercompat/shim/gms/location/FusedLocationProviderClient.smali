.class public Lorg/hypercompat/shim/gms/location/FusedLocationProviderClient;
.super Ljava/lang/Object;
.source "FusedLocationProviderClient.smali"

# Portable stand-in for com.google.android.gms.location.FusedLocationProviderClient on top of
# the platform's android.location.LocationManager: no Play services needed. Without location
# permission the tasks fail with the SecurityException, as the original's do.

.field private final manager:Landroid/location/LocationManager;
.field private final listeners:Ljava/util/HashMap;

.method public constructor <init>(Landroid/content/Context;)V
    .registers 3
    invoke-direct {p0}, Ljava/lang/Object;-><init>()V
    const-string v0, "location"
    invoke-virtual {p1, v0}, Landroid/content/Context;->getSystemService(Ljava/lang/String;)Ljava/lang/Object;
    move-result-object v0
    check-cast v0, Landroid/location/LocationManager;
    iput-object v0, p0, Lorg/hypercompat/shim/gms/location/FusedLocationProviderClient;->manager:Landroid/location/LocationManager;
    new-instance v0, Ljava/util/HashMap;
    invoke-direct {v0}, Ljava/util/HashMap;-><init>()V
    iput-object v0, p0, Lorg/hypercompat/shim/gms/location/FusedLocationProviderClient;->listeners:Ljava/util/HashMap;
    return-void
.end method

# The newest last-known fix of the GPS and network providers, or null.
.method public getLastLocation()Lorg/hypercompat/shim/gms/tasks/Task;
    .registers 8
    iget-object v0, p0, Lorg/hypercompat/shim/gms/location/FusedLocationProviderClient;->manager:Landroid/location/LocationManager;
    :try_start
    const-string v1, "gps"
    invoke-virtual {v0, v1}, Landroid/location/LocationManager;->getLastKnownLocation(Ljava/lang/String;)Landroid/location/Location;
    move-result-object v1
    const-string v2, "network"
    invoke-virtual {v0, v2}, Landroid/location/LocationManager;->getLastKnownLocation(Ljava/lang/String;)Landroid/location/Location;
    move-result-object v2
    :try_end
    .catch Ljava/lang/Exception; {:try_start .. :try_end} :failed
    if-nez v1, :have_gps
    move-object v1, v2
    goto :done
    :have_gps
    if-eqz v2, :done
    invoke-virtual {v2}, Landroid/location/Location;->getTime()J
    move-result-wide v3
    invoke-virtual {v1}, Landroid/location/Location;->getTime()J
    move-result-wide v5
    cmp-long v0, v3, v5
    if-lez v0, :keep_gps
    move-object v1, v2
    :keep_gps
    :done
    invoke-static {v1}, Lorg/hypercompat/shim/gms/tasks/Tasks;->forResult(Ljava/lang/Object;)Lorg/hypercompat/shim/gms/tasks/Task;
    move-result-object v0
    return-object v0
    :failed
    move-exception v0
    invoke-static {v0}, Lorg/hypercompat/shim/gms/tasks/Tasks;->forException(Ljava/lang/Exception;)Lorg/hypercompat/shim/gms/tasks/Task;
    move-result-object v0
    return-object v0
.end method

.method public requestLocationUpdates(Lorg/hypercompat/shim/gms/location/LocationRequest;Lorg/hypercompat/shim/gms/location/LocationCallback;Landroid/os/Looper;)Lorg/hypercompat/shim/gms/tasks/Task;
    .registers 12
    new-instance v0, Lorg/hypercompat/shim/gms/location/CallbackListener;
    invoke-direct {v0, p2}, Lorg/hypercompat/shim/gms/location/CallbackListener;-><init>(Lorg/hypercompat/shim/gms/location/LocationCallback;)V
    :try_start
    iget-object v1, p0, Lorg/hypercompat/shim/gms/location/FusedLocationProviderClient;->manager:Landroid/location/LocationManager;
    invoke-virtual {p1}, Lorg/hypercompat/shim/gms/location/LocationRequest;->provider()Ljava/lang/String;
    move-result-object v2
    invoke-virtual {p1}, Lorg/hypercompat/shim/gms/location/LocationRequest;->getInterval()J
    move-result-wide v3
    const/4 v5, 0x0
    move-object v6, v0
    move-object v7, p3
    invoke-virtual/range {v1 .. v7}, Landroid/location/LocationManager;->requestLocationUpdates(Ljava/lang/String;JFLandroid/location/LocationListener;Landroid/os/Looper;)V
    :try_end
    .catch Ljava/lang/Exception; {:try_start .. :try_end} :failed
    iget-object v1, p0, Lorg/hypercompat/shim/gms/location/FusedLocationProviderClient;->listeners:Ljava/util/HashMap;
    monitor-enter v1
    invoke-virtual {v1, p2, v0}, Ljava/util/HashMap;->put(Ljava/lang/Object;Ljava/lang/Object;)Ljava/lang/Object;
    monitor-exit v1
    const/4 v0, 0x0
    invoke-static {v0}, Lorg/hypercompat/shim/gms/tasks/Tasks;->forResult(Ljava/lang/Object;)Lorg/hypercompat/shim/gms/tasks/Task;
    move-result-object v0
    return-object v0
    :failed
    move-exception v0
    invoke-static {v0}, Lorg/hypercompat/shim/gms/tasks/Tasks;->forException(Ljava/lang/Exception;)Lorg/hypercompat/shim/gms/tasks/Task;
    move-result-object v0
    return-object v0
.end method

.method public removeLocationUpdates(Lorg/hypercompat/shim/gms/location/LocationCallback;)Lorg/hypercompat/shim/gms/tasks/Task;
    .registers 4
    iget-object v0, p0, Lorg/hypercompat/shim/gms/location/FusedLocationProviderClient;->listeners:Ljava/util/HashMap;
    monitor-enter v0
    invoke-virtual {v0, p1}, Ljava/util/HashMap;->remove(Ljava/lang/Object;)Ljava/lang/Object;
    move-result-object v1
    monitor-exit v0
    if-eqz v1, :none
    check-cast v1, Landroid/location/LocationListener;
    iget-object v0, p0, Lorg/hypercompat/shim/gms/location/FusedLocationProviderClient;->manager:Landroid/location/LocationManager;
    invoke-virtual {v0, v1}, Landroid/location/LocationManager;->removeUpdates(Landroid/location/LocationListener;)V
    :none
    const/4 v0, 0x0
    invoke-static {v0}, Lorg/hypercompat/shim/gms/tasks/Tasks;->forResult(Ljava/lang/Object;)Lorg/hypercompat/shim/gms/tasks/Task;
    move-result-object v0
    return-object v0
.end method

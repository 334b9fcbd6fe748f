.class public Lcom/google/android/gms/location/FusedLocationProviderClient;
.super Ljava/lang/Object;
.source "com.google.android.gms:play-services-location@@21.0.1"


# instance fields
.field private final zza:Landroid/content/Context;

.field private final zzb:Ljava/util/HashMap;


# direct methods
.method public constructor <init>(Landroid/content/Context;)V
    .registers 3

    invoke-direct {p0}, Ljava/lang/Object;-><init>()V

    invoke-virtual {p1}, Landroid/content/Context;->getApplicationContext()Landroid/content/Context;

    move-result-object v0

    iput-object v0, p0, Lcom/google/android/gms/location/FusedLocationProviderClient;->zza:Landroid/content/Context;

    new-instance v0, Ljava/util/HashMap;

    invoke-direct {v0}, Ljava/util/HashMap;-><init>()V

    iput-object v0, p0, Lcom/google/android/gms/location/FusedLocationProviderClient;->zzb:Ljava/util/HashMap;

    return-void
.end method

.method private zza()Landroid/location/LocationManager;
    .registers 3

    iget-object v0, p0, Lcom/google/android/gms/location/FusedLocationProviderClient;->zza:Landroid/content/Context;

    const-string v1, "location"

    invoke-virtual {v0, v1}, Landroid/content/Context;->getSystemService(Ljava/lang/String;)Ljava/lang/Object;

    move-result-object v0

    check-cast v0, Landroid/location/LocationManager;

    return-object v0
.end method


# virtual methods
.method public getLastLocation()Lcom/google/android/gms/tasks/Task;
    .registers 3

    :try_start_0
    invoke-direct {p0}, Lcom/google/android/gms/location/FusedLocationProviderClient;->zza()Landroid/location/LocationManager;

    move-result-object v0

    const-string v1, "fused"

    invoke-virtual {v0, v1}, Landroid/location/LocationManager;->getLastKnownLocation(Ljava/lang/String;)Landroid/location/Location;

    move-result-object v0

    invoke-static {v0}, Lcom/google/android/gms/tasks/Tasks;->forResult(Ljava/lang/Object;)Lcom/google/android/gms/tasks/Task;

    move-result-object v0
    :try_end_0
    .catch Ljava/lang/RuntimeException; {:try_start_0 .. :try_end_0} :catch_0

    return-object v0

    :catch_0
    move-exception v0

    invoke-static {v0}, Lcom/google/android/gms/tasks/Tasks;->forException(Ljava/lang/Exception;)Lcom/google/android/gms/tasks/Task;

    move-result-object v0

    return-object v0
.end method

.method public removeLocationUpdates(Lcom/google/android/gms/location/LocationCallback;)Lcom/google/android/gms/tasks/Task;
    .registers 4

    iget-object v0, p0, Lcom/google/android/gms/location/FusedLocationProviderClient;->zzb:Ljava/util/HashMap;

    invoke-virtual {v0, p1}, Ljava/util/HashMap;->remove(Ljava/lang/Object;)Ljava/lang/Object;

    move-result-object v0

    check-cast v0, Landroid/location/LocationListener;

    if-eqz v0, :cond_0

    invoke-direct {p0}, Lcom/google/android/gms/location/FusedLocationProviderClient;->zza()Landroid/location/LocationManager;

    move-result-object v1

    invoke-virtual {v1, v0}, Landroid/location/LocationManager;->removeUpdates(Landroid/location/LocationListener;)V

    :cond_0
    const/4 v0, 0x0

    invoke-static {v0}, Lcom/google/android/gms/tasks/Tasks;->forResult(Ljava/lang/Object;)Lcom/google/android/gms/tasks/Task;

    move-result-object v0

    return-object v0
.end method

.method public requestLocationUpdates(Lcom/google/android/gms/location/LocationRequest;Lcom/google/android/gms/location/LocationCallback;Landroid/os/Looper;)Lcom/google/android/gms/tasks/Task;
    .registers 12

    :try_start_0
    new-instance v0, Lcom/google/android/gms/location/zzk;

    invoke-direct {v0, p2}, Lcom/google/android/gms/location/zzk;-><init>(Lcom/google/android/gms/location/LocationCallback;)V

    .local v0, "listener":Lcom/google/android/gms/location/zzk;
    iget-object v1, p0, Lcom/google/android/gms/location/FusedLocationProviderClient;->zzb:Ljava/util/HashMap;

    invoke-virtual {v1, p2, v0}, Ljava/util/HashMap;->put(Ljava/lang/Object;Ljava/lang/Object;)Ljava/lang/Object;

    invoke-virtual {p1}, Lcom/google/android/gms/location/LocationRequest;->getPriority()I

    move-result v1

    const/16 v2, 0x64

    if-ne v1, v2, :cond_0

    const-string v2, "gps"

    goto :goto_0

    :cond_0
    const-string v2, "network"

    :goto_0
    invoke-direct {p0}, Lcom/google/android/gms/location/FusedLocationProviderClient;->zza()Landroid/location/LocationManager;

    move-result-object v1

    invoke-virtual {p1}, Lcom/google/android/gms/location/LocationRequest;->getInterval()J

    move-result-wide v3

    const/4 v5, 0x0

    move-object v6, v0

    move-object v7, p3

    invoke-virtual/range {v1 .. v7}, Landroid/location/LocationManager;->requestLocationUpdates(Ljava/lang/String;JFLandroid/location/LocationListener;Landroid/os/Looper;)V

    const/4 v1, 0x0

    invoke-static {v1}, Lcom/google/android/gms/tasks/Tasks;->forResult(Ljava/lang/Object;)Lcom/google/android/gms/tasks/Task;

    move-result-object v1
    :try_end_0
    .catch Ljava/lang/RuntimeException; {:try_start_0 .. :try_end_0} :catch_0

    return-object v1

    :catch_0
    move-exception v1

    invoke-static {v1}, Lcom/google/android/gms/tasks/Tasks;->forException(Ljava/lang/Exception;)Lcom/google/android/gms/tasks/Task;

    move-result-object v1

    return-object v1
.end method
